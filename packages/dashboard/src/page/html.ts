/**
 * The dashboard's page: static HTML with no data in it. The script (`app.ts`) fills it from the JSON snapshot, and
 * the style sheet is `css.ts`; both are served as files so the page's Content-Security-Policy can forbid inline code.
 */

/** The page, served at the mount path with a trailing slash (its assets and data are relative to it). */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>gatehouse dashboard</title>
<link rel="stylesheet" href="app.css">
<link rel="icon" href="favicon.svg" type="image/svg+xml">
</head>
<body data-updates="0">
<header>
  <h1>gatehouse</h1>
  <span class="muted">last <span id="window">–</span> s · updated <time id="updated">–</time> · <span id="transport">connecting</span></span>
</header>
<main>
  <section class="cards" aria-label="All routes">
    <div class="card"><span class="label">requests</span><span class="value" id="total-requests">–</span></div>
    <div class="card"><span class="label">req/s</span><span class="value" id="total-rate">–</span></div>
    <div class="card"><span class="label">p50 ms</span><span class="value" id="total-p50">–</span></div>
    <div class="card"><span class="label">p99 ms</span><span class="value" id="total-p99">–</span></div>
    <div class="card"><span class="label">4xx</span><span class="value warn" id="total-4xx">–</span></div>
    <div class="card"><span class="label">5xx</span><span class="value bad" id="total-5xx">–</span></div>
    <div class="card"><span class="label">cache hits</span><span class="value" id="total-cache">–</span></div>
    <div class="card"><span class="label">throttled</span><span class="value warn" id="total-throttled">–</span></div>
    <div class="card"><span class="label">quota exceeded</span><span class="value warn" id="total-quota">–</span></div>
  </section>
  <section aria-label="Requests per second">
    <h2>Requests per second</h2>
    <div id="chart" class="chart"></div>
  </section>
  <section aria-label="Routes">
    <h2>Routes</h2>
    <table id="routes">
      <thead><tr><th>route</th><th>req/s</th><th>requests</th><th>p50 ms</th><th>p99 ms</th><th>4xx</th><th>5xx</th><th>cache hits</th><th>throttled</th><th>quota</th><th>traffic</th></tr></thead>
      <tbody></tbody>
    </table>
  </section>
  <section aria-label="Recent errors">
    <h2>Recent errors <span class="muted">(stacks are shown only here: keep this page off the internet)</span></h2>
    <div id="errors"><p class="muted">none</p></div>
  </section>
  <section aria-label="Access log">
    <h2>Access log</h2>
    <table id="log">
      <thead><tr><th>time</th><th>method</th><th>path</th><th>status</th><th>ms</th><th>request id</th></tr></thead>
      <tbody></tbody>
    </table>
  </section>
</main>
<script src="app.js"></script>
</body>
</html>
`

/** The page's icon (served as `favicon.svg`, so the browser does not ask the gateway for `/favicon.ico`). */
export const PAGE_ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#2f6fdf"/><path d="M3 12V7l5-3 5 3v5h-3V9H6v3z" fill="#fff"/></svg>
`
