"""The fleet: many booths, one content repository, one broker, one console (issue 17).

Pure Python, no Qt (``tests/test_architecture.py`` proves it). A booth started without
``--fleet`` and ``--content-repo`` never imports this package, paho or git code.

* :mod:`szkiosk.fleet.topics`: the MQTT topics and payloads (the contract between booths,
  the console and the collector), with their JSON Schemas.
* :mod:`szkiosk.fleet.broker`: broker URLs and the paho client a booth or the console uses.
* :mod:`szkiosk.fleet.gitsync`: follow a content repository: fetch, stage, verify, validate.
* :mod:`szkiosk.fleet.outbox`: the booth's hourly analytics aggregates, kept until acknowledged.
* :mod:`szkiosk.fleet.collector`: the central statistics database (duplicates dropped).
* :mod:`szkiosk.fleet.console`: the live status of every booth, problems first.

The Qt side (status from the show, commands on the GUI thread, the screen self-check,
switching to a new commit) lives in :mod:`szkiosk.booth`.
"""
