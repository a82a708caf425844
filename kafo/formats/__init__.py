"""Kafo's changes to Django's locale formats (FORMAT_MODULE_PATH): a form's date fields
render ISO dates, which `<input type="date">` needs whatever the user's language; dates
typed in the language's own way are still read. What is displayed stays localised."""
