"""Attendance from the meeting platforms' reports: ``readers`` reads a Zoom, Teams or Webex
export (pure Python) and folds its rows into people; ``service`` matches them with the
webinar's registrations and hosts, previews and imports."""
