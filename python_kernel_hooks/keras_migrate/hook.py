"""IPython extension: explain Keras 3 migration failures right under the traceback.

After a cell fails (or shows a migration warning) the hook publishes one
display_data per diagnosis, MIME type `application/vnd.keras-migrate.diagnosis+json`.
It never changes the traceback, the execute reply or `sys.last_*`, and a fault
inside the hook is logged and swallowed: the user's kernel must behave exactly
as without it. A successful cell without warnings costs one attribute check.
"""

import logging
import os
import sys
import warnings

MIME_TYPE = "application/vnd.keras-migrate.diagnosis+json"
MAX_PENDING_WARNINGS = 20
MAX_STACK_FRAMES = 80

log = logging.getLogger("keras_migrate")  # used when the shell has no log of its own

# One hook per shell; IPython's extension manager loads us once, but a direct
# second call to load_ipython_extension must not double-register.
_HOOKS = {}


class DiagnosisHook:
    def __init__(self, shell):
        self.shell = shell
        self.pending = []  # warning diagnoses seen while the current cell runs
        self.active = False
        self._original_showwarning = None
        self._absl_handler = None
        self._warning_types = None
        self._noting = False

    # ------------------------------------------------------------ install
    def install(self):
        self.shell.events.register("pre_run_cell", self.pre_run_cell)
        self.shell.events.register("post_run_cell", self.post_run_cell)
        self._original_showwarning = warnings.showwarning
        warnings.showwarning = self.showwarning
        self.active = True
        self._attach_absl_handler()

    def uninstall(self):
        self.active = False
        for event, callback in (("pre_run_cell", self.pre_run_cell), ("post_run_cell", self.post_run_cell)):
            try:
                self.shell.events.unregister(event, callback)
            except ValueError:
                pass
        if warnings.showwarning == self.showwarning:
            warnings.showwarning = self._original_showwarning
        # Otherwise someone wrapped us since; `active = False` turns our layer into a pass-through.
        if self._absl_handler is not None:
            logging.getLogger("absl").removeHandler(self._absl_handler)
            self._absl_handler = None
        self.pending = []

    def _attach_absl_handler(self):
        # Keras logs some migration warnings (save_format=, legacy .h5) through absl.
        # Creating the "absl" logger before absl itself would give it the wrong class,
        # so attach only once absl.logging has been imported by someone else.
        if self._absl_handler is None and "absl.logging" in sys.modules:
            self._absl_handler = _AbslWarningHandler(self)
            logging.getLogger("absl").addHandler(self._absl_handler)

    # ------------------------------------------------------------ events
    def pre_run_cell(self, info=None):
        self.pending = []
        if self._absl_handler is None:
            self._safely(self._attach_absl_handler)

    def post_run_cell(self, result):
        error = getattr(result, "error_in_exec", None)
        if error is None and not self.pending:
            return
        self._safely(self._publish_for_cell, error)
        self.pending = []
        if self._absl_handler is None:
            self._safely(self._attach_absl_handler)

    def showwarning(self, message, category, filename, lineno, file=None, line=None):
        self._original_showwarning(message, category, filename, lineno, file, line)
        if self.active and not self._noting:
            self._noting = True  # a warning raised while we recognise one must not recurse
            try:
                self._safely(self._note_warning, message, category)
            finally:
                self._noting = False

    # ------------------------------------------------------------ work
    def _safely(self, function, *args):
        # BaseException: the hook's own work (e.g. str() of the user's exception) may
        # raise SystemExit or KeyboardInterrupt; neither may leave the hook, or the
        # kernel would exit or print a second traceback the user did not cause.
        try:
            function(*args)
        except KeyboardInterrupt:
            pass  # the user interrupted us, not their cell: drop the diagnosis quietly
        except BaseException:
            try:
                # The shell's own log goes to the kernel's console, not into the cell:
                # the root logger may print into the notebook (libraries call basicConfig).
                shell_log = getattr(self.shell, "log", None)
                (shell_log or log).warning("keras_migrate hook failed; the cell's output is unaffected", exc_info=True)
            except BaseException:
                pass

    def _types_of_warning_signatures(self):
        if self._warning_types is None:
            from . import catalog

            self._warning_types = frozenset(
                name for signature in catalog.signatures() if signature["kind"] == "warning" for name in signature["exceptionTypes"]
            )
        return self._warning_types

    def _note_warning(self, message, category, type_names=None):
        if len(self.pending) >= MAX_PENDING_WARNINGS:
            return
        if type_names is None:
            type_names = [klass.__name__ for klass in getattr(category, "__mro__", (category,))]
        if not self._types_of_warning_signatures().intersection(type_names):
            return
        from .recognize import record_for_warning, recognize_records

        record = record_for_warning(type_names[0], _text_of(message), _user_stack_frames(self._filename_map()), type_names)
        diagnosis = recognize_records([record], *self._environment())
        if diagnosis is None:
            return
        if any(seen["signature"] == diagnosis["signature"] for seen in self.pending):
            return
        self.pending.append(diagnosis)

    def _publish_for_cell(self, error):
        from .recognize import recognize_exception

        diagnoses = []
        if error is not None:
            diagnosis = recognize_exception(error, self._filename_map(), *self._environment())
            if diagnosis is not None:
                diagnoses.append(diagnosis)
        if not diagnoses:
            # Warnings in a cell whose error we explain are nearly always its
            # forerunners (e.g. 'unbuilt state' before a failed trace): one card is enough.
            diagnoses.extend(self.pending)
        for diagnosis in diagnoses:
            publish_diagnosis(diagnosis)

    def _filename_map(self):
        return dict(getattr(getattr(self.shell, "compile", None), "_filename_map", None) or {})

    @staticmethod
    def _environment():
        keras = sys.modules.get("keras")
        version = getattr(keras, "__version__", None) if keras is not None else None
        backend = None
        if keras is not None:
            try:
                backend = keras.backend.backend()
            except Exception:
                backend = None
        if backend is None and keras is not None:
            backend = os.environ.get("KERAS_BACKEND") or None
        return version, backend


def _text_of(value):
    try:
        text = str(value)
        return text if isinstance(text, str) else ""
    except BaseException:
        return ""


class _AbslWarningHandler(logging.Handler):
    def __init__(self, hook):
        super().__init__(level=logging.WARNING)
        self.hook = hook

    def emit(self, record):
        hook = self.hook
        if hook.active and not hook._noting:
            hook._noting = True
            try:
                hook._safely(lambda: hook._note_warning(record.getMessage(), None, ["logging"]))
            finally:
                hook._noting = False

    def handleError(self, record):  # never print logging's own tracebacks into the cell
        pass


def _user_stack_frames(filename_map):
    """The current call stack as locate frames (outermost first), for warnings."""
    import linecache

    from .locate import IPYTHON_INPUT_FILE, make_frame

    frames = []
    frame = sys._getframe(1)
    while frame is not None and len(frames) < MAX_STACK_FRAMES:
        path = frame.f_code.co_filename
        cell = filename_map.get(path)
        if cell is None:
            match = IPYTHON_INPUT_FILE.search(path)
            cell = int(match.group(1)) if match else None
        frames.append((path, frame.f_lineno, frame.f_code.co_name, cell))
        frame = frame.f_back
    result = []
    for path, lineno, name, cell in reversed(frames):
        entry = make_frame(path, lineno, name, cell)
        if entry["user"]:
            entry["text"] = linecache.getline(path, lineno).strip() or None
        result.append(entry)
    return result


def plain_text(diagnosis):
    where = ""
    if diagnosis.get("line") is not None:
        where = " (line %d%s)" % (diagnosis["line"], ", In[%d]" % diagnosis["cell"] if diagnosis.get("cell") is not None else "")
    return "Keras 3 migration%s: %s [guide: %s]\nFix: %s" % (where, diagnosis["title"], diagnosis["guide"], diagnosis["fix"])


def publish_diagnosis(diagnosis):
    from IPython.display import publish_display_data

    publish_display_data(data={MIME_TYPE: diagnosis, "text/plain": plain_text(diagnosis)})


def load_ipython_extension(ip):
    if id(ip) in _HOOKS:
        return
    hook = DiagnosisHook(ip)
    hook.install()
    _HOOKS[id(ip)] = hook


def unload_ipython_extension(ip):
    hook = _HOOKS.pop(id(ip), None)
    if hook is not None:
        hook.uninstall()
