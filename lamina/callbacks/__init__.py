"""Callbacks: hooks into `fit`, `evaluate` and `predict`.

>>> from lamina import callbacks
>>> stop = callbacks.EarlyStopping(monitor="val_loss", patience=2)
>>> type(stop).__name__
'EarlyStopping'
"""

from lamina.callbacks.backup_and_restore import BackupAndRestore
from lamina.callbacks.callback import Callback
from lamina.callbacks.callback_list import CallbackList
from lamina.callbacks.csv_logger import CSVLogger
from lamina.callbacks.early_stopping import EarlyStopping
from lamina.callbacks.history import History
from lamina.callbacks.lambda_callback import LambdaCallback
from lamina.callbacks.learning_rate_scheduler import LearningRateScheduler
from lamina.callbacks.model_checkpoint import ModelCheckpoint
from lamina.callbacks.monitor_callback import MonitorCallback
from lamina.callbacks.progbar_logger import ProgbarLogger
from lamina.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from lamina.callbacks.tensorboard import TensorBoard
from lamina.callbacks.terminate_on_nan import TerminateOnNaN

# Every public callback class, by its Keras name (for `deserialize`).
ALL_OBJECTS = {
    cls.__name__: cls for cls in (
        BackupAndRestore, Callback, CallbackList, CSVLogger, EarlyStopping,
        History, LambdaCallback, LearningRateScheduler, ModelCheckpoint,
        MonitorCallback, ProgbarLogger, ReduceLROnPlateau, TensorBoard,
        TerminateOnNaN)
}

__all__ = [
    "ALL_OBJECTS", "BackupAndRestore", "CSVLogger", "Callback",
    "CallbackList", "EarlyStopping", "History", "LambdaCallback",
    "LearningRateScheduler", "ModelCheckpoint", "MonitorCallback",
    "ProgbarLogger", "ReduceLROnPlateau", "TensorBoard", "TerminateOnNaN"]
