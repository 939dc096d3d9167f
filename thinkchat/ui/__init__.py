"""The Textual app. It talks to the engine only; it never imports an SDK.

Importing this package raises Textual's cap on frames a second, unless the user set their own
`TEXTUAL_FPS`. Textual draws a change at the next free slot of a fixed grid, and after a frame
the next slot is one to two periods away: at the default 60 a second, a key pressed just after
a frame of a streaming answer waited one or two periods before it was even drawn. A higher cap
costs nothing by itself: the screen is only drawn when something changed, and a stream's frames
are paced by `screens.chat.frame_pacer.FramePacer`. Textual reads the cap once, when it is first
imported, so it is set here, before any module of this package imports Textual.
"""

import os

FRAMES_PER_SECOND = 240

os.environ.setdefault("TEXTUAL_FPS", str(FRAMES_PER_SECOND))
