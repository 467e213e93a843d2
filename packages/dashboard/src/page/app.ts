/**
 * The page's script (served as `app.js`): reads the snapshot from the server-sent `events` stream (or polls
 * `snapshot.json` where that fails) and draws it. Every value from the snapshot goes through `esc` before it is put
 * in the page's HTML: paths, request ids and error messages are the client's or the function's, never markup.
 */
export const PAGE_JS = `(function () {
  'use strict'
  var ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
  function esc(value) {
    return String(value).replace(/[&<>"']/g, function (c) { return ESCAPES[c] })
  }
  function num(value) { return typeof value === 'number' && isFinite(value) ? value : 0 }
  function ms(value) {
    if (value === null || value === undefined) return '–'
    value = num(value)
    return value < 10 ? value.toFixed(1) : String(Math.round(value))
  }
  function ratio(value) { return value === null || value === undefined ? '–' : Math.round(num(value) * 100) + '%' }
  function rate(value) { return num(value).toFixed(2) }
  function time(epoch) {
    var d = new Date(num(epoch))
    return isNaN(d.getTime()) ? '–' : d.toISOString().slice(11, 23)
  }
  function statusClass(status) {
    var s = Math.floor(num(status) / 100)
    return s >= 2 && s <= 5 ? 's' + s : ''
  }
  function points(series, width, height) {
    var max = 1
    for (var i = 0; i < series.length; i++) if (num(series[i]) > max) max = num(series[i])
    var step = series.length > 1 ? width / (series.length - 1) : width
    var out = []
    for (var j = 0; j < series.length; j++) {
      out.push((j * step).toFixed(1) + ',' + (height - (num(series[j]) / max) * height).toFixed(1))
    }
    return { list: out, max: max }
  }
  function sparkline(series) {
    var p = points(series || [], 160, 22)
    return '<svg class="spark" viewBox="0 -1 160 24" preserveAspectRatio="none" aria-hidden="true"><polyline points="' +
      esc(p.list.join(' ')) + '"/></svg>'
  }
  function chart(series, seconds) {
    var p = points(series || [], 600, 110)
    var area = 'M0,110 L' + p.list.join(' L') + ' L600,110 Z'
    return '<svg viewBox="0 -14 640 140" preserveAspectRatio="none" role="img" aria-label="requests per second">' +
      '<path class="area" d="' + esc(area) + '"/>' +
      '<text x="604" y="0">' + esc(p.max) + '/s</text>' +
      '<text x="604" y="112">0</text>' +
      '<text x="0" y="124">-' + esc(seconds) + ' s</text>' +
      '<text x="580" y="124">now</text></svg>'
  }
  function set(id, text) {
    var el = document.getElementById(id)
    if (el) el.textContent = text
  }
  function cell(key, value, cls) {
    return '<td data-k="' + esc(key) + '" class="' + esc(cls || 'num') + '">' + esc(value) + '</td>'
  }
  var updates = 0
  function render(s) {
    var t = s.total
    set('window', String(num(s.windowSeconds)))
    set('updated', time(s.time))
    set('total-requests', String(num(t.requests)))
    set('total-rate', rate(t.rate))
    set('total-p50', ms(t.p50))
    set('total-p99', ms(t.p99))
    set('total-4xx', String(num(t.clientErrors)))
    set('total-5xx', String(num(t.serverErrors)))
    set('total-cache', ratio(t.cacheHitRatio))
    set('total-throttled', String(num(t.throttled)))
    set('total-quota', String(num(t.quotaExceeded)))
    document.getElementById('chart').innerHTML = chart(t.series, num(s.windowSeconds))
    var rows = ''
    for (var i = 0; i < s.routes.length; i++) {
      var r = s.routes[i]
      rows += '<tr data-route="' + esc(r.route) + '">' +
        cell('route', r.route, 'route') + cell('rate', rate(r.rate)) + cell('requests', num(r.requests)) +
        cell('p50', ms(r.p50)) + cell('p99', ms(r.p99)) + cell('4xx', num(r.clientErrors)) +
        cell('5xx', num(r.serverErrors)) + cell('cache', ratio(r.cacheHitRatio)) +
        cell('throttled', num(r.throttled)) + cell('quota', num(r.quotaExceeded)) +
        '<td data-k="traffic">' + sparkline(r.series) + '</td></tr>'
    }
    document.querySelector('#routes tbody').innerHTML = rows || '<tr><td colspan="11" class="muted">no requests yet</td></tr>'
    var log = ''
    for (var j = 0; j < s.accessLog.length; j++) {
      var l = s.accessLog[j]
      log += '<tr>' + cell('time', time(l.time), 'text') + cell('method', l.method, 'text') + cell('path', l.path, 'path') +
        cell('status', num(l.status), 'num ' + statusClass(l.status)) + cell('latency', ms(l.latency)) +
        cell('requestId', l.requestId, 'text') + '</tr>'
    }
    document.querySelector('#log tbody').innerHTML = log
    var errors = ''
    for (var k = 0; k < s.errors.length; k++) {
      var e = s.errors[k]
      errors += '<article class="error"><div class="what">' + esc(e.name) + ': ' + esc(e.message) + '</div>' +
        '<div class="muted">' + esc(time(e.time)) + ' · ' + esc(e.requestId || '-') + ' · ' + esc(e.routeKey || '-') +
        ' · ' + esc(e.stage) + (e.responseType ? ' → ' + esc(e.responseType) : '') + '</div>' +
        '<pre>' + esc(e.stack) + '</pre></article>'
    }
    document.getElementById('errors').innerHTML = errors || '<p class="muted">none</p>'
    updates++
    document.body.setAttribute('data-updates', String(updates))
  }
  function poll() {
    set('transport', 'polling')
    fetch('snapshot.json', { cache: 'no-store' })
      .then(function (res) { return res.json() })
      .then(render)
      .catch(function () { set('transport', 'disconnected') })
      .then(function () { setTimeout(poll, 1000) })
  }
  if (typeof EventSource === 'function') {
    var source = new EventSource('events')
    source.onopen = function () { set('transport', 'live') }
    source.onmessage = function (event) { render(JSON.parse(event.data)) }
    source.onerror = function () {
      // A refused stream (too many viewers) closes for good: fall back to polling.
      if (source.readyState === 2) poll()
      else set('transport', 'reconnecting')
    }
  } else {
    poll()
  }
})()
`
