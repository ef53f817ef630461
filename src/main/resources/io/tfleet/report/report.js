(function () {
  'use strict';
  var table = document.getElementById('machines');
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var filter = document.getElementById('filter');
  var verdict = document.getElementById('verdict');
  var shown = document.getElementById('shown');
  var totals = Array.prototype.slice.call(document.querySelectorAll('.total'));
  var sortKey = '', descending = false;
  // The timeline's rows follow the table's: same order, same filter.
  var timeline = document.getElementById('timeline');
  var lanes = {};
  if (timeline) {
    Array.prototype.forEach.call(timeline.querySelectorAll('g[data-machine]'), function (g) {
      lanes[g.getAttribute('data-machine')] = g;
    });
  }

  function follow() {
    if (!timeline) { return; }
    var step = Number(timeline.getAttribute('data-row')), y = 0;
    var width = timeline.viewBox.baseVal.width;
    Array.prototype.forEach.call(body.rows, function (row) {
      var lane = lanes[row.cells[0].textContent];
      if (!lane) { return; }
      if (row.hidden) { lane.setAttribute('display', 'none'); return; }
      lane.removeAttribute('display');
      lane.setAttribute('transform', 'translate(0,' + y + ')');
      y += step;
    });
    var height = Math.max(y, step);
    timeline.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    timeline.setAttribute('height', String(height));
  }

  function cellValue(row, index, numeric) {
    var cell = row.cells[index];
    var raw = cell.hasAttribute('data-sort') ? cell.getAttribute('data-sort') : cell.textContent.trim();
    if (numeric) { return raw === '' ? null : Number(raw); }
    return raw === '' || raw === '-' ? null : raw.toLowerCase();
  }

  function sort() {
    var index = heads.findIndex(function (th) { return th.dataset.key === sortKey; });
    heads.forEach(function (th, i) {
      if (i === index) { th.setAttribute('aria-sort', descending ? 'descending' : 'ascending'); }
      else { th.removeAttribute('aria-sort'); }
    });
    var order = rows.map(function (row, i) { return i; });
    if (index >= 0) {
      var numeric = heads[index].dataset.type === 'number';
      order.sort(function (a, b) {
        var x = cellValue(rows[a], index, numeric), y = cellValue(rows[b], index, numeric);
        // Unknown values go last whichever the direction; ties keep the machine order.
        if (x === null || y === null) { return x === y ? a - b : (x === null ? 1 : -1); }
        var c = numeric ? x - y : x.localeCompare(y, undefined, { numeric: true });
        return c === 0 ? a - b : (descending ? -c : c);
      });
    }
    order.forEach(function (i) { body.appendChild(rows[i]); });
    follow();
  }

  function apply() {
    var q = filter.value.trim().toLowerCase();
    var v = verdict.value, count = 0;
    rows.forEach(function (row) {
      var show = (v === '' || row.dataset.verdict === v)
          && (q === '' || row.textContent.toLowerCase().indexOf(q) >= 0);
      row.hidden = !show;
      if (show) { count++; }
    });
    totals.forEach(function (t) { t.setAttribute('aria-pressed', String(t.dataset.verdict === v)); });
    shown.textContent = count + ' of ' + rows.length + ' machines shown';
    follow();
  }

  function remember() {
    var p = new URLSearchParams();
    if (verdict.value) { p.set('verdict', verdict.value); }
    if (filter.value) { p.set('q', filter.value); }
    if (sortKey) { p.set('sort', (descending ? '-' : '') + sortKey); }
    var hash = p.toString();
    try { history.replaceState(null, '', hash ? '#' + hash : location.pathname); } catch (e) { /* file: origins may refuse */ }
  }

  function load() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ''));
    var v = p.get('verdict') || '';
    verdict.value = Array.prototype.some.call(verdict.options, function (o) { return o.value === v; }) ? v : '';
    filter.value = p.get('q') || '';
    var s = p.get('sort') || '';
    descending = s.charAt(0) === '-';
    sortKey = descending ? s.slice(1) : s;
    sort();
    apply();
  }

  heads.forEach(function (th) {
    var button = th.querySelector('button');
    if (!button) { return; }
    button.addEventListener('click', function () {
      descending = sortKey === th.dataset.key ? !descending : false;
      sortKey = th.dataset.key;
      sort(); remember();
    });
  });
  filter.addEventListener('input', function () { apply(); remember(); });
  verdict.addEventListener('change', function () { apply(); remember(); });
  totals.forEach(function (t) {
    t.addEventListener('click', function () {
      verdict.value = verdict.value === t.dataset.verdict ? '' : t.dataset.verdict;
      apply(); remember();
    });
  });
  window.addEventListener('hashchange', load);
  load();
})();
