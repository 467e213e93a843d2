/** The page's style sheet (served as `app.css`). */
export const PAGE_CSS = `:root { color-scheme: light dark; --fg: #1d232a; --muted: #6b7480; --line: #d9dee4; --bg: #f7f8fa; --card: #fff;
  --accent: #2f6fdf; --warn: #b86e00; --bad: #c62828; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e9ee; --muted: #98a2ae; --line: #343b45; --bg: #15191e; --card: #1e242b; } }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); }
header { display: flex; gap: 16px; align-items: baseline; padding: 12px 20px; border-bottom: 1px solid var(--line); background: var(--card); }
h1 { font-size: 18px; margin: 0; }
h2 { font-size: 15px; margin: 20px 0 8px; }
main { padding: 0 20px 24px; }
.muted { color: var(--muted); font-weight: normal; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(120px, 1fr)); gap: 10px; margin-top: 16px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; display: flex; flex-direction: column; }
.label { color: var(--muted); font-size: 12px; }
.value { font-size: 22px; font-variant-numeric: tabular-nums; }
.warn { color: var(--warn); }
.bad { color: var(--bad); }
.chart { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
.chart svg { width: 100%; height: 140px; display: block; }
.chart .area { fill: color-mix(in srgb, var(--accent) 20%, transparent); stroke: var(--accent); stroke-width: 1.5; vector-effect: non-scaling-stroke; }
.chart text { fill: var(--muted); font-size: 11px; }
table { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
th { color: var(--muted); font-weight: 600; font-size: 12px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.path { max-width: 420px; overflow: hidden; text-overflow: ellipsis; font-family: ui-monospace, monospace; }
td.route { font-family: ui-monospace, monospace; }
.spark { width: 160px; height: 24px; display: block; }
.spark polyline { fill: none; stroke: var(--accent); stroke-width: 1.2; vector-effect: non-scaling-stroke; }
.s2 { color: inherit; } .s3 { color: var(--muted); } .s4 { color: var(--warn); } .s5 { color: var(--bad); }
.error { background: var(--card); border: 1px solid var(--line); border-left: 3px solid var(--bad); border-radius: 4px; padding: 8px 10px; margin-bottom: 8px; }
.error .what { font-weight: 600; }
.error pre { margin: 6px 0 0; max-height: 220px; overflow: auto; font-size: 12px; white-space: pre-wrap; word-break: break-all; }
`
