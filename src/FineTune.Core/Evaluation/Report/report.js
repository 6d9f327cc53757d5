(function () {
  'use strict';
  var table = document.getElementById('results');
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
  var filter = document.getElementById('filter');
  var verdict = document.getElementById('verdict');
  var shown = document.getElementById('shown');
  var headers = table.tHead.rows[0].cells;

  function apply() {
    var needle = filter.value.trim().toLowerCase();
    var wanted = verdict ? verdict.value : '';
    var count = 0;
    rows.forEach(function (row, i) {
      var verdicts = ' ' + (row.getAttribute('data-verdicts') || '') + ' ';
      var visible = (!needle || texts[i].indexOf(needle) >= 0) && (!wanted || verdicts.indexOf(' ' + wanted + ' ') >= 0);
      row.hidden = !visible;
      if (visible) { count++; }
    });
    shown.textContent = String(count);
  }

  function sortBy(th, column) {
    var ascending = th.getAttribute('aria-sort') !== 'ascending';
    Array.prototype.forEach.call(headers, function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    var numeric = th.getAttribute('data-type') === 'number';
    var keyed = rows.map(function (row, i) {
      var cell = row.cells[column];
      var raw = cell ? cell.getAttribute('data-value') : null;
      var key = numeric ? (raw === null || raw === '' ? NaN : parseFloat(raw)) : (raw !== null ? raw : (cell ? cell.textContent : '')).toLowerCase();
      return { row: row, key: key, index: i };
    });
    keyed.sort(function (a, b) {
      var order;
      if (numeric) {
        var aEmpty = isNaN(a.key), bEmpty = isNaN(b.key);
        if (aEmpty || bEmpty) { order = aEmpty === bEmpty ? 0 : (aEmpty ? 1 : -1); }
        else { order = ascending ? a.key - b.key : b.key - a.key; }
      } else {
        order = a.key < b.key ? -1 : (a.key > b.key ? 1 : 0);
        if (!ascending) { order = -order; }
      }
      return order || a.index - b.index;
    });
    keyed.forEach(function (item) { body.appendChild(item.row); });
  }

  Array.prototype.forEach.call(headers, function (th, column) {
    var button = th.querySelector('button');
    if (button) { button.addEventListener('click', function () { sortBy(th, column); }); }
  });
  filter.addEventListener('input', apply);
  if (verdict) { verdict.addEventListener('change', apply); }
  apply();
}());
