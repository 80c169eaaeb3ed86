"""The Textual console: shell, views and widgets. Only this package imports Textual."""

import os

# Textual repaints on a fixed frame grid, and a repaint right after one that took longer than a
# frame waits one to two frames: 17-33 ms at Textual's default 60 fps, 8-17 ms at 120. That wait
# was the largest share of a key's time to repaint in the wave monitor. Set before Textual is
# first imported (it reads the variable once); an operator's own TEXTUAL_FPS wins.
os.environ.setdefault("TEXTUAL_FPS", "120")
