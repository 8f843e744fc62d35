"""What a document shows: the notation printer, number formatting, the view model and the JSON quantities."""
