// Click-to-load players (webinars/recordings/_player.html): the page holds a link to the
// video's page; only when the reader clicks is the provider's player (or the video file)
// loaded in its place. Without this script the link opens the video's page (through the
// platform's address, which counts the play and sends the reader on). With it, the click tells
// that address with a beacon (a count, nothing about the reader) and loads the player here.
(function () {
  "use strict";

  function frame(box) {
    var iframe = document.createElement("iframe");
    iframe.src = box.dataset.src + (box.dataset.src.indexOf("?") < 0 ? "?" : "&") + "autoplay=1";
    iframe.title = box.dataset.title;
    iframe.allow = "autoplay; fullscreen; picture-in-picture";
    iframe.setAttribute("allowfullscreen", "");
    iframe.loading = "lazy";
    return iframe;
  }

  function video(box) {
    var element = document.createElement("video");
    element.controls = true;
    element.autoplay = true;
    element.preload = "metadata";
    element.setAttribute("aria-label", box.dataset.title);
    var source = document.createElement("source");
    source.src = box.dataset.src;
    if (box.dataset.type) source.type = box.dataset.type;
    element.appendChild(source);
    box.querySelectorAll("[data-track]").forEach(function (item, index) {
      var track = document.createElement("track");
      track.kind = "captions";
      track.src = item.dataset.src;
      track.srclang = item.dataset.lang;
      track.label = item.dataset.label;
      if (index === 0) track.default = true;
      element.appendChild(track);
    });
    return element;
  }

  document.querySelectorAll("[data-player]").forEach(function (box) {
    var button = box.querySelector(".player-button");
    if (!button) return;
    button.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey) return; // a new tab: the page
      event.preventDefault();
      // Counted in the background; the player loads whether or not the count gets through.
      if (navigator.sendBeacon) navigator.sendBeacon(button.href);
      var player = box.dataset.kind === "file" ? video(box) : frame(box);
      player.className = "player-frame";
      player.tabIndex = -1;
      button.replaceWith(player);
      player.focus();
    });
  });
})();
