// Tell the server the browser's time zone (a cookie, for the next pages), and on a first
// visit, when the server could only guess the zone (<html data-tz-guessed>), redraw the times
// of this page in the browser's zone in place: no second load of the page.
// Without JavaScript the page still works and names the zone it uses (UTC or the profile's).
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) { return; }
  var match = document.cookie.match(/(?:^|; )deepdive_tz=([^;]*)/);
  // A zone chosen by hand (or already sent) is kept.
  if (match) { return; }
  document.cookie = "deepdive_tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
  if (!document.documentElement.hasAttribute("data-tz-guessed")) { return; }

  var lang = document.documentElement.lang || "en";
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };

  function resolved(name) {
    try { return Intl.DateTimeFormat("en", { timeZone: name }).resolvedOptions().timeZone; }
    catch (e) { return name; }
  }
  // The wall-clock fields of ``date`` in ``tz``.
  function fields(date, tz) {
    var parts = {};
    new Intl.DateTimeFormat("en-US", {
      timeZone: tz, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric",
      hour: "numeric", minute: "numeric", weekday: "short"
    }).formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
    var f = { Y: +parts.year, n: +parts.month, j: +parts.day, G: +parts.hour % 24, i: +parts.minute };
    f.dayNumber = Date.UTC(f.Y, f.n - 1, f.j) / 86400000;
    f.offset = Math.round((Date.UTC(f.Y, f.n - 1, f.j, f.G, f.i) - Math.floor(date.getTime() / 60000) * 60000) / 60000);
    return f;
  }
  function name(date, tz, options) {
    options.timeZone = tz;
    return new Intl.DateTimeFormat(lang, options).format(date);
  }
  // Django's date format characters that the pages use.
  function format(date, tz, pattern) {
    var f = fields(date, tz), out = "";
    for (var k = 0; k < pattern.length; k++) {
      var c = pattern.charAt(k);
      if (c === "\\") { out += pattern.charAt(++k); continue; }
      switch (c) {
        case "d": out += pad(f.j); break;
        case "j": out += f.j; break;
        case "D": out += name(date, tz, { weekday: "short" }); break;
        case "l": out += name(date, tz, { weekday: "long" }); break;
        case "m": out += pad(f.n); break;
        case "n": out += f.n; break;
        case "M": case "b": out += name(date, tz, { month: "short" }).replace(/\.$/, ""); break;
        case "F": case "E": out += name(date, tz, { month: "long" }); break;
        case "Y": out += f.Y; break;
        case "y": out += pad(f.Y % 100); break;
        case "H": out += pad(f.G); break;
        case "G": out += f.G; break;
        case "i": out += pad(f.i); break;
        default: out += c;
      }
    }
    return out;
  }
  function offset(date, tz) {
    var minutes = fields(date, tz).offset, sign = minutes < 0 ? "-" : "+";
    minutes = Math.abs(minutes);
    return "UTC" + sign + pad(Math.floor(minutes / 60)) + ":" + pad(minutes % 60);
  }
  var label = function (tz) { return tz.replace(/_/g, " "); };
  function zoneOf(element) {
    var scope = element.closest("[data-tz-zone]");
    var tz = scope ? scope.getAttribute("data-tz-zone") : "reader";
    return tz === "reader" ? zone : tz;
  }
  function at(element, attribute) {
    return new Date(element.getAttribute(attribute || "data-tz-at") || element.getAttribute("datetime"));
  }
  function draw(element) {
    var tz = zoneOf(element), kind = element.getAttribute("data-tz"), start;
    switch (kind) {
      case "date":
        element.textContent = format(at(element), tz, element.getAttribute("data-tz-format"));
        break;
      case "when":
        start = at(element);
        element.textContent = format(start, tz, element.getAttribute("data-tz-format")) +
          " (" + label(tz) + ", " + offset(start, tz) + ")";
        break;
      case "hours":
        element.textContent = format(at(element), tz, "H:i") + "–" + format(at(element, "data-tz-end"), tz, "H:i");
        break;
      case "label": element.textContent = label(tz); break;
      case "offset": element.textContent = offset(at(element), tz); break;
      case "next-day": {
        var hours = element.parentNode.querySelector("[data-tz=hours]");
        if (!hours) { break; }
        var ends = fields(at(hours, "data-tz-end"), tz).dayNumber !== fields(at(hours), tz).dayNumber;
        element.textContent = ends ? element.getAttribute("data-text") : "";
        element.hidden = !ends;
        break;
      }
    }
  }

  // The table of the webinar's time around the world: mark (or add) the reader's row and
  // compare every row's date with the reader's.
  function redrawTable(table) {
    var rows = Array.prototype.slice.call(table.querySelectorAll("tr[data-tz-zone]"));
    if (!rows.length) { return; }
    var mine = resolved(zone), reader = null, old = table.querySelector("tr.is-reader") || rows[0];
    rows.forEach(function (row) { if (resolved(row.getAttribute("data-tz-zone")) === mine) { reader = row; } });
    var badge = old.querySelector("[data-tz=reader-badge]");
    if (reader !== old) {
      old.classList.remove("is-reader");
      if (!reader) {
        reader = old.cloneNode(true);
        reader.setAttribute("data-tz-zone", zone);
        Array.prototype.forEach.call(reader.querySelectorAll("th .badge"), function (b) { b.remove(); });
        var start = at(reader.querySelector("[data-tz=hours]")), mineOffset = fields(start, zone).offset;
        var after = null;
        rows.forEach(function (row) {
          if (!after && fields(start, row.getAttribute("data-tz-zone")).offset > mineOffset) { after = row; }
        });
        old.parentNode.insertBefore(reader, after);
      }
      reader.classList.add("is-reader");
      if (badge) { reader.querySelector("th").appendChild(badge); }
    }
    Array.prototype.forEach.call(reader.querySelectorAll("[data-tz]"), draw);
    var hours = reader.querySelector("[data-tz=hours]");
    if (!hours) { return; }
    var base = fields(at(hours), zone).dayNumber;
    Array.prototype.forEach.call(table.querySelectorAll("tr[data-tz-zone]"), function (row) {
      var shift = row.querySelector("[data-tz=day-shift]");
      if (!shift) { return; }
      var day = fields(at(hours), row.getAttribute("data-tz-zone")).dayNumber - base;
      shift.textContent = day > 0 ? shift.getAttribute("data-next") : day < 0 ? shift.getAttribute("data-previous") : "";
      shift.hidden = !day;
    });
  }

  function redraw() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-tz-zone=reader] [data-tz], [data-tz-zone=reader][data-tz]"), draw);
    Array.prototype.forEach.call(document.querySelectorAll("table"), function (table) {
      if (table.querySelector("tr[data-tz-zone]")) { redrawTable(table); }
    });
    var note = document.querySelector("#timezone-note strong");
    if (note) { note.textContent = zone; }
    document.documentElement.removeAttribute("data-tz-guessed");
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", redraw); }
  else { redraw(); }
})();
