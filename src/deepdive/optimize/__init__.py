"""The optimisers: plain Python on a real solver, with no Django import.

Each takes and returns plain dataclasses; ``deepdive select|assign|timetable`` are thin JSON
layers over them. They arrive with the selection, review and timetable issues.

Imports run one way (``tests/optimize/test_imports.py`` checks it): ``select`` ->
``select_explain`` -> ``select_model`` -> ``select_problem``; ``assign`` -> ``assign_lp`` ->
``assign_problem``; ``timetable`` alone; all of them -> ``validation``. Nothing here imports
Django or another part of ``deepdive``. mypy checks this package (``make lint``).
"""
