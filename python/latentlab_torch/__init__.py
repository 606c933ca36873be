"""latentlab_torch: a Latentlab model file as a PyTorch module, trained with the engine's objective and written
back for the workbench. NumPy and h5py read and write the files (modelfile, data); torch is needed for the
module and training (model, objective, train)."""
from .modelfile import Architecture, ModelFile, ModelFileError, read_model_file, write_model_file

__version__ = '0.1.0'
__all__ = ['Architecture', 'ModelFile', 'ModelFileError', 'read_model_file', 'write_model_file', '__version__']
