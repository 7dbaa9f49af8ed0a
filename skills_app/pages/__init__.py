"""One module per screen; pages only lay out components and bind state."""
