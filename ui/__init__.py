"""The Qt desktop face of CM Planner: the only package that imports Qt."""
