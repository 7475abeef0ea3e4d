
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("treemap-data").textContent);
  var root = document.getElementById("treemap");
  var info = document.getElementById("treemap-info");
  var HEADER = 16, PAD = 2, LABEL_W = 36, LABEL_H = 15;
  var LIGHT = [36, 62, 80];

  function worst(areas, from, to, sum, side) {
    var max = 0, min = Infinity;
    for (var k = from; k < to; k++) { if (areas[k] > max) max = areas[k]; if (areas[k] < min) min = areas[k]; }
    var s2 = side * side, sum2 = sum * sum;
    return Math.max(s2 * max / sum2, sum2 / (s2 * min));
  }

  function squarify(values, x, y, w, h) {
    var total = values.reduce(function (a, b) { return a + b; }, 0);
    var out = [];
    if (total <= 0 || w <= 0 || h <= 0) return values.map(function () { return { x: x, y: y, w: 0, h: 0 }; });
    var areas = values.map(function (v) { return v * w * h / total; });
    var i = 0;
    while (i < areas.length) {
      var side = Math.min(w, h), j = i, sum = 0, best = Infinity;
      while (j < areas.length) {
        var ratio = worst(areas, i, j + 1, sum + areas[j], side);
        if (j > i && ratio > best) break;
        best = ratio; sum += areas[j]; j++;
      }
      var thick = sum / side, off = 0;
      for (var k = i; k < j; k++) {
        var len = areas[k] / thick;
        out.push(w >= h ? { x: x, y: y + off, w: thick, h: len } : { x: x + off, y: y, w: len, h: thick });
        off += len;
      }
      if (w >= h) { x += thick; w = Math.max(0, w - thick); } else { y += thick; h = Math.max(0, h - thick); }
      i = j;
    }
    return out;
  }

  // Round the edges, not the sizes, so neighbours share an edge instead of overlapping by a rounding error.
  function r10(v) { return Math.round(v * 10) / 10; }
  function place(el, r) {
    el.style.left = r10(r.x) + "px";
    el.style.top = r10(r.y) + "px";
    el.style.width = r10(r10(r.x + r.w) - r10(r.x)) + "px";
    el.style.height = r10(r10(r.y + r.h) - r10(r.y)) + "px";
  }

  function draw(node, parent, r, depth, hue, index) {
    var el = document.createElement("div");
    var kids = node.children || [];
    el.className = "tm-node tm-depth-" + depth + (kids.length ? " tm-group" : " tm-leaf");
    el.setAttribute("data-path", node.path);
    el.setAttribute("data-bytes", String(node.bytes));
    el.setAttribute("title", node.title);
    place(el, r);
    var light = LIGHT[Math.min(depth, LIGHT.length - 1)] + (depth > 1 && index % 2 ? 5 : 0);
    el.style.background = "hsl(" + hue + "," + (depth ? 55 : 45) + "%," + light + "%)";
    var labelled = r.w >= LABEL_W && r.h >= LABEL_H;
    if (labelled) {
      var label = document.createElement("span");
      label.className = "tm-label";
      label.appendChild(document.createTextNode(node.name + " "));
      var size = document.createElement("small");
      size.textContent = node.size;
      label.appendChild(size);
      el.appendChild(label);
    }
    parent.appendChild(el);
    if (!kids.length) return;
    var top = labelled ? HEADER : PAD;
    var inner = { x: PAD, y: top, w: r.w - 2 * PAD, h: r.h - top - PAD };
    if (inner.w < 3 || inner.h < 3) return;
    var rects = squarify(kids.map(function (k) { return k.bytes; }), inner.x, inner.y, inner.w, inner.h);
    kids.forEach(function (k, n) { draw(k, el, rects[n], depth + 1, hue, n); });
  }

  function layout() {
    root.textContent = "";
    var w = root.clientWidth, h = root.clientHeight;
    var rects = squarify(data.map(function (a) { return a.bytes; }), 0, 0, w, h);
    data.forEach(function (a, n) { draw(a, root, rects[n], 0, a.hue, n); });
  }

  root.addEventListener("mouseover", function (e) {
    var node = e.target.closest(".tm-node");
    if (node) info.textContent = node.getAttribute("title").replace("\n", " \u2014 ");
  });
  var pending = 0;
  window.addEventListener("resize", function () { clearTimeout(pending); pending = setTimeout(layout, 100); });
  layout();
})();
