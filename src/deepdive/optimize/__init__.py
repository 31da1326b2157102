"""The optimisers: plain Python on a real solver, with no Django import.

Each takes and returns plain dataclasses; ``deepdive select|assign|timetable`` are thin JSON
layers over them. They arrive with the selection, review and timetable issues.
"""
