"""Files shipped with cscdesk: fonts, icons and default texts (installed as cscdesk.resources)."""
