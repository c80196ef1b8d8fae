# IPython kernel configuration for this course's environment. tasks.py (and the test
# suite) copy it to .venv/etc/ipython/, where every kernel started from the virtual
# environment reads it: nbval's, the book build's and JupyterLab's.
#
# ipykernel logs a warning at every start that its sockets use TCP without CurveZMQ
# encryption. The kernels here are local (127.0.0.1) and short-lived, so that warning
# only clutters the build and test output; log errors only.
c = get_config()  # noqa: F821
c.IPKernelApp.log_level = "ERROR"

# A kernel that exits spends 0.2-0.3 s in the interpreter's last garbage collections over
# everything pandas and matplotlib imported, objects that are about to vanish with the
# process anyway: freezing them at exit (gc.freeze, run first among the exit handlers)
# lets the kernel stop in about 0.1 s. The line runs before the first cell, keeps no name
# in the student's namespace and no entry in the history (IPython runs these lines with
# store_history=False).
c.IPKernelApp.exec_lines = ["import atexit, gc; atexit.register(gc.freeze); del atexit, gc"]
