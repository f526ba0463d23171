/**
 * The dashboard's browser script (plain ES2017, run after Chart.js). It keeps a token from
 * `?token=` in session storage, loads the state and the history, follows the event stream
 * (each connect starts with a snapshot, so a reconnect misses nothing) and draws one card
 * per execution and one price chart per symbol. `window.__dashboard` exposes its state to
 * tests (`connected`, `snapshots`, `charts` by symbol).
 */
export const dashboardScript = String.raw`
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  if (params.has('token')) {
    sessionStorage.setItem('tranche-token', params.get('token'));
    params.delete('token');
    history.replaceState(null, '', location.pathname + (params.toString() ? '?' + params : ''));
  }
  var token = sessionStorage.getItem('tranche-token');
  var BUY = '#15803d', SELL = '#c2410c', PRICE = '#475569';
  var state = { executions: {}, order: [], markets: {}, snapshot: null };
  var charts = {};
  var dash = window.__dashboard = { connected: false, snapshots: 0, charts: charts, historyLoads: 0 };

  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 12;

  function $(id) { return document.getElementById(id); }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function pad2(n) { return (n < 10 ? '0' : '') + n; }
  function hms(ms) { var d = new Date(ms); return pad2(d.getUTCHours()) + ':' + pad2(d.getUTCMinutes()) + ':' + pad2(d.getUTCSeconds()); }
  function stamp(ms) { return new Date(ms).toISOString().slice(0, 19).replace('T', ' '); }
  function qty(v) { return v === null || v === undefined ? '-' : String(Number(v.toFixed(8))); }
  function price(v) { return v === null || v === undefined ? '-' : v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: v < 100 ? 4 : 2 }); }
  function bps(v) { return v === null || v === undefined ? '-' : (v > 0 ? '+' : '') + v.toFixed(2); }
  function showError(message) { var box = $('error'); box.hidden = !message; box.textContent = message || ''; }

  function api(method, path, body) {
    var headers = { Accept: 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body) }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data && data.error ? data.error : 'HTTP ' + response.status);
        return data;
      });
    });
  }

  function fact(list, label, value, key) {
    var row = el('div'); row.appendChild(el('dt', '', label));
    var dd = el('dd', '', value); dd.dataset.field = key; row.appendChild(dd); list.appendChild(row);
  }

  function renderCard(execution) {
    var card = document.querySelector('.card[data-execution-id="' + CSS.escape(execution.executionId) + '"]');
    if (!card) {
      card = el('article', 'card');
      card.dataset.executionId = execution.executionId;
      $('executions').appendChild(card);
    }
    card.textContent = '';
    card.dataset.state = execution.state;
    card.classList.toggle('ended', execution.state !== 'working');
    var head = el('div', 'card-head');
    var title = el('div', 'card-title', execution.side + ' ' + qty(execution.requestedQuantity) + ' ' + execution.symbol + ' · ' + execution.strategy + (execution.type !== execution.strategy ? ' (' + execution.type + ')' : ''));
    title.appendChild(el('span', 'id', execution.executionId));
    head.appendChild(title);
    head.appendChild(el('span', 'state state-' + execution.state, execution.state.replace('_', ' ')));
    card.appendChild(head);
    var share = execution.requestedQuantity > 0 ? execution.filledQuantity / execution.requestedQuantity : 0;
    var bar = el('div', 'progress');
    bar.setAttribute('role', 'progressbar');
    bar.setAttribute('aria-valuemin', '0');
    bar.setAttribute('aria-valuemax', String(execution.requestedQuantity));
    bar.setAttribute('aria-valuenow', String(execution.filledQuantity));
    var filled = el('div', 'progress-filled'); filled.style.width = Math.min(100, share * 100).toFixed(2) + '%'; bar.appendChild(filled);
    if (execution.scheduledQuantity !== undefined && execution.state === 'working') {
      var mark = el('div', 'progress-schedule');
      mark.style.left = 'calc(' + Math.min(100, (execution.scheduledQuantity / execution.requestedQuantity) * 100).toFixed(2) + '% - 1px)';
      mark.title = 'schedule: ' + qty(execution.scheduledQuantity);
      bar.appendChild(mark);
    }
    card.appendChild(bar);
    card.appendChild(el('div', 'progress-text', 'filled ' + qty(execution.filledQuantity) + ' of ' + qty(execution.requestedQuantity) + ' (' + (share * 100).toFixed(1) + '%)' +
      (execution.scheduledQuantity !== undefined ? ' · schedule ' + qty(execution.scheduledQuantity) : '') + (execution.workingQuantity > 0 ? ' · working ' + qty(execution.workingQuantity) : '')));
    var facts = el('dl', 'facts');
    fact(facts, 'avg price', price(execution.averagePrice), 'averagePrice');
    fact(facts, 'arrival mid', price(execution.arrivalPrice), 'arrivalPrice');
    fact(facts, 'slippage vs arrival', bps(execution.slippageBps) + ' bps', 'slippageBps');
    fact(facts, 'fills', execution.fillCount, 'fillCount');
    fact(facts, 'started', hms(execution.startedAt), 'startedAt');
    fact(facts, 'updated', hms(execution.updatedAt), 'updatedAt');
    card.appendChild(facts);
    card.dataset.filled = String(execution.filledQuantity);
    if (execution.lastAlert && execution.state === 'working') {
      var alert = el('p', 'alert alert-' + execution.lastAlert.severity, execution.lastAlert.severity + ' · ' + execution.lastAlert.kind + ' at ' + hms(execution.lastAlert.ts) + ': ' + execution.lastAlert.message);
      alert.dataset.field = 'alert';
      card.appendChild(alert);
    }
    if (execution.endReason) card.appendChild(el('p', 'end-reason', execution.endReason));
    if (execution.state === 'working') {
      var cancel = el('button', 'cancel', 'Cancel');
      cancel.type = 'button';
      cancel.addEventListener('click', function () {
        if (!confirm('Cancel execution ' + execution.executionId + ' (' + execution.side + ' ' + execution.symbol + ')? Its working child orders are cancelled.')) return;
        cancel.disabled = true;
        api('POST', '/api/executions/' + encodeURIComponent(execution.executionId) + '/cancel', {}).then(function () { showError(''); }, function (error) { cancel.disabled = false; showError('Cancel failed: ' + error.message); });
      });
      card.appendChild(cancel);
    }
    $('no-executions').hidden = true;
  }

  function chartFor(symbol) {
    if (charts[symbol]) return charts[symbol];
    var box = el('div', 'market'); box.dataset.symbol = symbol;
    box.appendChild(el('h3', '', symbol));
    var facts = el('div', 'market-facts'); facts.dataset.role = 'facts'; box.appendChild(facts);
    var holder = el('div', 'chart'); var canvas = el('canvas'); canvas.id = 'chart-' + symbol.replace(/[^A-Za-z0-9]/g, '-');
    canvas.setAttribute('role', 'img'); canvas.setAttribute('aria-label', symbol + ' mid price and fills');
    holder.appendChild(canvas); box.appendChild(holder); $('market-list').appendChild(box);
    var triangle = function (color, rotation) { return { type: 'scatter', pointStyle: 'triangle', rotation: rotation, pointRadius: 6, backgroundColor: color, borderColor: '#1c2330', borderWidth: 1, data: [] }; };
    var buy = triangle(BUY, 0); buy.label = 'buy fills';
    var sell = triangle(SELL, 180); sell.label = 'sell fills';
    charts[symbol] = new Chart(canvas, {
      type: 'line',
      data: { datasets: [{ label: 'mid', data: [], borderColor: PRICE, borderWidth: 1.5, pointRadius: 0, tension: 0 }, buy, sell] },
      options: { parsing: false, normalized: true, scales: { x: { type: 'linear', ticks: { callback: function (v) { return hms(v); }, maxTicksLimit: 8 } }, y: { ticks: { callback: function (v) { return price(v); } } } },
        plugins: { legend: { labels: { usePointStyle: true, boxHeight: 8 } }, tooltip: { callbacks: { title: function (items) { return items.length ? hms(items[0].parsed.x) : ''; } } } } },
    });
    return charts[symbol];
  }

  function renderMarket(market) {
    state.markets[market.symbol] = market;
    var chart = chartFor(market.symbol);
    var facts = document.querySelector('.market[data-symbol="' + CSS.escape(market.symbol) + '"] [data-role=facts]');
    facts.textContent = '';
    [['bid', price(market.bid)], ['ask', price(market.ask)], ['mid', price(market.mid)], ['spread', market.spreadBps === null ? '-' : market.spreadBps.toFixed(2) + ' bps'], ['last', price(market.lastPrice)],
      ['state', market.state === null ? 'not classified yet' : market.state + (market.stateConfidence === null ? '' : ' (' + Math.round(market.stateConfidence * 100) + '%)')], ['at', hms(market.ts)]]
      .forEach(function (pair) { var span = el('span'); span.dataset.field = pair[0]; span.appendChild(el('b', '', pair[0])); span.appendChild(document.createTextNode(pair[1])); facts.appendChild(span); });
    return chart;
  }

  function addPricePoint(chart, ts, mid) {
    var points = chart.data.datasets[0].data;
    if (mid === null || (points.length && points[points.length - 1].x >= ts)) return;
    points.push({ x: ts, y: mid });
    if (points.length > 1800) points.shift();
  }

  function addFill(symbol, side, fill) {
    var chart = chartFor(symbol);
    chart.data.datasets[side === 'buy' ? 1 : 2].data.push({ x: fill.ts, y: fill.price });
  }

  function renderMetrics(metrics) {
    var box = $('metrics'); box.textContent = '';
    Object.keys(metrics).sort().forEach(function (collector) {
      var names = Object.keys(metrics[collector]).sort();
      if (!names.length) return;
      var part = el('div'); part.appendChild(el('h3', '', collector));
      var table = el('table'); table.dataset.collector = collector; var body = el('tbody');
      names.slice(0, 60).forEach(function (name) {
        var metric = metrics[collector][name], row = el('tr');
        var value = metric.kind === 'histogram' ? (metric.count ? 'n ' + metric.count + ', mean ' + (metric.sum / metric.count).toFixed(2) : 'n 0') : Number(metric.value.toFixed(4));
        row.appendChild(el('td', '', name)); row.appendChild(el('td', 'num', value)); body.appendChild(row);
      });
      table.appendChild(body); part.appendChild(table); box.appendChild(part);
    });
  }

  function applySnapshot(snapshot) {
    state.snapshot = snapshot;
    dash.snapshots++;
    $('context').textContent = 'venue ' + snapshot.venue + (snapshot.data.source ? ' · market data ' + snapshot.data.source : '') + ' · ' + snapshot.strategies.length + ' strategies · clock ' + stamp(snapshot.now) + ' UTC';
    showDataStatus(snapshot.data);
    $('executions').textContent = '';
    pendingCards = {}; /* older than the snapshot */
    snapshot.markets.forEach(function (market) {
      var chart = renderMarket(market);
      chart.data.datasets.forEach(function (dataset) { dataset.data = []; });
      market.prices.forEach(function (point) { addPricePoint(chart, point.ts, point.mid); });
    });
    snapshot.executions.forEach(function (execution) {
      state.executions[execution.executionId] = execution;
      renderCard(execution);
      execution.fills.forEach(function (fill) { addFill(execution.symbol, execution.side, fill); });
    });
    Object.keys(charts).forEach(function (symbol) { charts[symbol].update('none'); });
    renderMetrics(snapshot.metrics);
    renderKill(snapshot.killSwitch, null);
  }

  function renderKill(kill, message) {
    var box = $('kill-result');
    if (!kill.engaged) { box.hidden = true; return; }
    box.hidden = false;
    box.className = 'banner bad';
    box.dataset.engaged = 'true';
    box.dataset.completed = String(kill.completed);
    box.textContent = message || ('Kill switch engaged (' + kill.reason + ')' + (kill.completed ? ': ' + kill.stoppedExecutions + ' execution(s) stopped, no working order left. New orders are refused.' : ': stopping executions…'));
    $('kill-button').disabled = true;
  }

  function loadHistory() {
    return api('GET', '/api/history?limit=50').then(function (entries) {
      var body = document.querySelector('#history-table tbody'); body.textContent = '';
      entries.forEach(function (entry) {
        var r = entry.report, q = entry.quality, row = el('tr'); row.dataset.executionId = r.id; row.dataset.status = r.status;
        [[stamp(r.endedAt)], [r.id], [r.symbol], [r.side], [r.strategy], [r.status.replace('_', ' ')], [qty(r.filledQuantity) + ' / ' + qty(r.requestedQuantity), 'num'],
          [r.filledQuantity > 0 ? price(r.averagePrice) : '-', 'num'], [bps(r.slippageBps), 'num'], [q ? bps(q.totalCostBps) : '-', 'num'], [entry.pending ? 'pending' : 'stored']]
          .forEach(function (cell) { row.appendChild(el('td', cell[1] || '', cell[0])); });
        body.appendChild(row);
      });
      dash.historyLoads++;
    }, function (error) { showError('History: ' + error.message); });
  }

  /* Events can come by the hundred per second on a fast replay: redraw each card at most once per frame. */
  var pendingCards = {}, frame = 0;
  function scheduleCard(execution) {
    pendingCards[execution.executionId] = execution;
    if (frame) return;
    frame = requestAnimationFrame(function () {
      frame = 0;
      var cards = pendingCards; pendingCards = {};
      Object.keys(cards).forEach(function (id) { renderCard(cards[id]); });
    });
  }

  function showDataStatus(data) {
    $('data-ended').hidden = !data.ended;
    $('data-ended').textContent = data.ended ? 'The market data has ended: no new order can start. Restart tranche serve to replay it again.' : '';
  }

  /* After an execution ends: fresh metrics, and whether the data ended (what ends the last executions of a replay). */
  function refreshMetrics() { api('GET', '/api/state').then(function (snapshot) { renderMetrics(snapshot.metrics); showDataStatus(snapshot.data); }, function () {}); }

  function connect() {
    var source = new EventSource('/api/events' + (token ? '?token=' + encodeURIComponent(token) : ''));
    source.addEventListener('open', function () { dash.connected = true; $('connection').textContent = 'live'; $('connection').className = 'pill pill-on'; });
    source.addEventListener('error', function () { dash.connected = false; $('connection').textContent = 'reconnecting'; $('connection').className = 'pill pill-off'; });
    source.addEventListener('snapshot', function (message) { applySnapshot(JSON.parse(message.data)); });
    source.addEventListener('execution', function (message) {
      var update = JSON.parse(message.data), execution = update.execution, event = update.event;
      state.executions[execution.executionId] = execution;
      scheduleCard(execution);
      if (event.type === 'fill') { addFill(execution.symbol, execution.side, event.fill); chartFor(execution.symbol).update('none'); }
      if (event.type === 'execution-ended') { loadHistory(); refreshMetrics(); }
    });
    source.addEventListener('market', function (message) {
      var market = JSON.parse(message.data), chart = renderMarket(market);
      market.points.forEach(function (point) { addPricePoint(chart, point.ts, point.mid); });
      chart.update('none');
      if (state.snapshot) $('context').textContent = $('context').textContent.replace(/clock .*$/, 'clock ' + stamp(market.ts) + ' UTC');
    });
    source.addEventListener('kill-switch', function (message) { var update = JSON.parse(message.data); renderKill(update.killSwitch, null); });
    source.addEventListener('metrics', function (message) { renderMetrics(JSON.parse(message.data)); });
    source.addEventListener('heartbeat', function () { dash.heartbeats = (dash.heartbeats || 0) + 1; });
  }

  $('kill-button').addEventListener('click', function () {
    if (!confirm('Engage the kill switch? Every working order is cancelled, every execution ends, and new orders are refused until the runner (tranche serve, or the workers) restarts.')) return;
    $('kill-button').disabled = true;
    api('POST', '/api/kill', { confirm: true, reason: 'engaged from the dashboard' }).then(function (result) {
      renderKill({ engaged: true, completed: true, reason: result.reason, stoppedExecutions: result.stopped.length }, null);
      $('kill-result').dataset.result = JSON.stringify(result.stopped);
    }, function (error) { $('kill-button').disabled = false; showError('Kill switch failed: ' + error.message); });
  });

  $('order-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var order;
    try { order = JSON.parse($('order-input').value); } catch (error) { $('order-result').textContent = 'Not JSON: ' + error.message; return; }
    api('POST', '/api/executions', order).then(function (result) { $('order-result').textContent = (result.queued ? 'queued ' : 'started ') + result.executionId; showError(''); },
      function (error) { $('order-result').textContent = error.message; });
  });

  Promise.all([api('GET', '/api/state').then(applySnapshot), loadHistory()]).then(connect, function (error) { showError('Cannot load the dashboard: ' + error.message); });
})();
`;
