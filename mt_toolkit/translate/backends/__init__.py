"""Translation backends; each implements `mt_toolkit.translate.base.Translator`."""
