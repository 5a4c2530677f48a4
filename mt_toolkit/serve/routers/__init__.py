"""The app's routes: `pages` (the workbench in the browser), `api` (JSON), `libretranslate`."""
