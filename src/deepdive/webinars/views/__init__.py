"""The webinars' pages, one module per audience: ``public`` (the programme, webinar pages,
calendar files), and the host's workspace, registration, the secretariat's board and
cancellation in their own modules."""
