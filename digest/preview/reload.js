/* The live preview's reload script. `python -m digest serve --watch` adds it to every HTML page it
   serves; it is never part of a built site. The server answers on the event stream with "reload"
   once the page's file differs from the version this page was served as, and with "problems"
   (the lines of a failed build, or none) whenever they change. A hidden tab lets go of its stream,
   so that open tabs never use up the browser's connections to the server. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.EventSource) {
    return;
  }
  var url = script.getAttribute("data-events") +
    "?path=" + encodeURIComponent(location.pathname) +
    "&version=" + encodeURIComponent(script.getAttribute("data-version") || "");
  var source = null;
  var banner = null;

  function showProblems(lines) {
    if (banner) {
      banner.remove();
      banner = null;
    }
    if (!lines.length) {
      return;
    }
    banner = document.createElement("section");
    banner.className = "digest-preview-problems";
    banner.setAttribute("role", "alert");
    var s = banner.style;  // through the CSSOM: the site's CSP allows no inline style
    s.position = "fixed";
    s.left = s.right = s.bottom = "0";
    s.zIndex = "2147483647";
    s.maxHeight = "40vh";
    s.overflow = "auto";
    s.margin = "0";
    s.padding = "0.75rem 1rem";
    s.background = "#7a1212";
    s.color = "#fff";
    s.font = "0.9rem/1.4 monospace";
    var title = document.createElement("h2");
    title.textContent = script.getAttribute("data-problems-title");
    title.style.font = "bold 1rem/1.4 sans-serif";
    title.style.margin = "0 0 0.5rem";
    banner.appendChild(title);
    var list = document.createElement("ul");
    list.style.margin = "0";
    list.style.paddingLeft = "1.25rem";
    lines.forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      list.appendChild(item);
    });
    banner.appendChild(list);
    document.body.appendChild(banner);
  }

  function connect() {
    if (source || document.visibilityState === "hidden") {
      return;
    }
    source = new EventSource(url);
    source.addEventListener("reload", function () {
      source.close();
      location.reload();
    });
    source.addEventListener("problems", function (event) {
      showProblems(JSON.parse(event.data));
    });
  }

  function disconnect() {
    if (source) {
      source.close();
      source = null;
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      disconnect();
    } else {
      connect();
    }
  });
  connect();
}());
