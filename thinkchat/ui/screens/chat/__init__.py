"""The chat screen: the conversation, the reasoning panel, the prompt and the status line.

`screen.ChatScreen` owns its composition, its keys and their actions; `settings_changes` says
what each settings key changes; `streaming.TurnStreamer` draws a streaming turn a frame at a
time, when `frame_pacer.FramePacer` says (one pace for every turn streaming on a screen).
"""
