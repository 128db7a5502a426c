"""The local web page (``drafting serve``): build a meeting's documents, check drafts, manage templates.

Modules: ``app`` (Starlette app and routes), ``pages`` (HTML pages), ``api`` (JSON API),
``security`` (request guard, CSRF, access token), ``uploads`` (limits, safe names, zips),
``workspace`` (meeting folders, locks), ``meetings`` (creating/changing meetings),
``meetingform`` (meeting.yaml as a form), ``builds`` (build jobs, downloads, previews),
``checking`` (checking an uploaded draft), ``templatefiles`` (templates in use), ``render``
(page templates). Importing this package does not import Starlette.
"""
