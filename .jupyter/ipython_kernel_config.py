# IPython kernel configuration for this course's environment. tasks.py (and the test
# suite) copy it to .venv/etc/ipython/, where every kernel started from the virtual
# environment reads it: nbval's, the book build's and JupyterLab's.
#
# ipykernel logs a warning at every start that its sockets use TCP without CurveZMQ
# encryption. The kernels here are local (127.0.0.1) and short-lived, so that warning
# only clutters the build and test output; log errors only.
c = get_config()  # noqa: F821
c.IPKernelApp.log_level = "ERROR"
