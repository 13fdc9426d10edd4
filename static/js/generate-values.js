// The value list of the admin's "Generate new version" page (catalog/admin_sources.py):
// a filter by path or help, select all / none per subtree and for the rows shown, and a
// live count of the values selected. Checking a value checks everything under it; a
// section with only some values checked shows as indeterminate. Without JavaScript the
// checkboxes still post as they are.
(function () {
  "use strict";
  var table = document.getElementById("values");
  if (!table) return;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var byIndex = {};
  var children = {};
  rows.forEach(function (row) {
    byIndex[row.dataset.index] = row;
    var parent = row.dataset.parent;
    if (parent !== "") (children[parent] = children[parent] || []).push(row);
  });
  var output = document.getElementById("selected-count");
  var filterCount = document.getElementById("filter-count");

  function box(row) {
    return row.querySelector('input[name="exposed"]');
  }
  function descendants(row) {
    var out = [];
    var stack = (children[row.dataset.index] || []).slice();
    while (stack.length) {
      var next = stack.shift();
      out.push(next);
      stack = stack.concat(children[next.dataset.index] || []);
    }
    return out;
  }
  function setSubtree(row, on) {
    [row].concat(descendants(row)).forEach(function (r) {
      box(r).checked = on;
      box(r).indeterminate = false;
    });
  }
  function refresh(index) {
    var kids = children[index];
    if (!kids) return;
    var all = kids.every(function (k) { return box(k).checked; });
    var some = kids.some(function (k) { return box(k).checked || box(k).indeterminate; });
    var own = box(byIndex[index]);
    own.checked = all;
    own.indeterminate = !all && some;
  }
  function refreshAncestors(row) {
    var parent = row.dataset.parent;
    while (parent !== "" && parent !== undefined) {
      refresh(parent);
      parent = byIndex[parent].dataset.parent;
    }
  }
  function count() {
    output.textContent = rows.filter(function (r) { return box(r).checked; }).length;
  }

  table.addEventListener("change", function (event) {
    var input = event.target;
    var row = input.closest("tr");
    if (input.name === "exposed") {
      setSubtree(row, input.checked);
      refreshAncestors(row);
    } else if (input.name === "essential" && input.checked && !box(row).checked) {
      setSubtree(row, true);
      refreshAncestors(row);
    }
    count();
  });
  table.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-subtree]");
    if (!button) return;
    var row = button.closest("tr");
    setSubtree(row, button.dataset.subtree === "all");
    refreshAncestors(row);
    count();
  });
  document.querySelectorAll("button[data-select]").forEach(function (button) {
    button.addEventListener("click", function () {
      var on = button.dataset.select === "all";
      rows.forEach(function (row) {
        if (!row.hidden) {
          box(row).checked = on;
          box(row).indeterminate = false;
        }
      });
      for (var i = rows.length - 1; i >= 0; i--) refresh(rows[i].dataset.index);
      count();
    });
  });

  var filter = document.getElementById("value-filter");
  filter.addEventListener("input", function () {
    var words = filter.value.trim().toLowerCase();
    if (!words) {
      rows.forEach(function (row) { row.hidden = false; });
      filterCount.textContent = "";
      return;
    }
    var shown = {};
    var matches = 0;
    rows.forEach(function (row) {
      var text = (row.dataset.path + " " + row.querySelector("td.help").textContent).toLowerCase();
      if (text.indexOf(words) === -1) return;
      matches++;
      for (var at = row.dataset.index; at !== "" && at !== undefined; at = byIndex[at].dataset.parent) {
        shown[at] = true;
      }
    });
    rows.forEach(function (row) { row.hidden = !shown[row.dataset.index]; });
    filterCount.textContent = matches + (matches === 1 ? " value matches" : " values match");
  });

  for (var i = rows.length - 1; i >= 0; i--) refresh(rows[i].dataset.index);
  count();
})();
