"""One module per screen: Talk (main), Teach, Memory, History, Plug-ins & settings, Help."""
