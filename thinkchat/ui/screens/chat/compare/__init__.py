"""Comparisons in the chat: one prompt under several variants, the answers side by side.

`chat_side.ChatComparisons` is what the chat's compare and alternatives keys do; `dialog` asks
for the variants; `screen.CompareScreen` shows the answers in `column`s with the `summary` under
them, streamed by `runner.ComparisonRunner`.
"""
