// Tell the server the browser's time zone, so that every time is shown in it.
// Without JavaScript the page still works and names the zone it uses (UTC or the profile's).
(function () {
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) { return; }
  var match = document.cookie.match(/(?:^|; )deepdive_tz=([^;]*)/);
  var current = match ? decodeURIComponent(match[1]) : null;
  // A zone chosen by hand (or already sent) is kept.
  if (current) { return; }
  document.cookie = "deepdive_tz=" + zone + "; path=/; max-age=31536000; samesite=lax";
  // The first page was drawn in a guessed zone: draw it again once, in the right one.
  if (!current && !sessionStorage.getItem("deepdive_tz_reloaded")) {
    sessionStorage.setItem("deepdive_tz_reloaded", "1");
    if (document.readyState !== "loading") { location.reload(); }
    else { document.addEventListener("DOMContentLoaded", function () { location.reload(); }); }
  }
})();
