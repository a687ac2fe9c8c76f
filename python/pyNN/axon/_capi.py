"""ctypes binding of Axon's host library (include/axon/axon.h, libaxon.so).

Only this module knows the C structures. Everything crosses the boundary as whole arrays
(numpy buffers); nothing is computed per neuron or per connection in Python.

libaxon.so is found, in this order, at:
  1. the path in the environment variable AXON_LIB;
  2. build/hostlib/libaxon.so of the source tree this package lives in (python/pyNN/axon ->
     ../../../build/hostlib), i.e. the default build tree of `cmake -S . -B build`;
  3. the dynamic linker's search path (LD_LIBRARY_PATH, ldconfig) as "libaxon.so".
"""

import ctypes
import ctypes.util
import os

# ---------------------------------------------------------------------------- status codes
AXON_OK = 0
AXON_ERR_INVALID_ARG = -1
AXON_ERR_NO_MEMORY = -2
AXON_ERR_IO = -3
AXON_ERR_FORMAT = -4
AXON_ERR_RANGE = -5
AXON_ERR_UNSUPPORTED = -6
AXON_ERR_STATE = -7
AXON_ERR_CAPACITY = -8
AXON_ERR_NOT_FOUND = -9
AXON_ERR_PARSE = -10
AXON_ERR_TIMEOUT = -11
AXON_ERR_TRANSPORT = -12
AXON_ERR_INTERNAL = -13

# value kinds
VALUE_CONST, VALUE_ARRAY, VALUE_RANDOM, VALUE_EXPR = 0, 1, 2, 3

# structures
STRUCT_NONE, STRUCT_LINE, STRUCT_GRID2D, STRUCT_GRID3D, STRUCT_RANDOM_SPHERE, \
    STRUCT_RANDOM_CUBOID = range(6)

# connectors
(CONN_ALL_TO_ALL, CONN_ONE_TO_ONE, CONN_FIXED_PROBABILITY, CONN_DISTANCE_PROBABILITY,
 CONN_FIXED_NUMBER_PRE, CONN_FIXED_NUMBER_POST, CONN_FIXED_TOTAL_NUMBER, CONN_SMALL_WORLD,
 CONN_FROM_LIST, CONN_FROM_FILE, CONN_ARRAY) = range(11)

KIND_NEURON, KIND_SOURCE_ARRAY, KIND_SOURCE_POISSON = 1, 2, 3

_d = ctypes.c_double
_u32 = ctypes.c_uint32
_i32 = ctypes.c_int32
_u64 = ctypes.c_uint64
_sz = ctypes.c_size_t
_int = ctypes.c_int
_cp = ctypes.c_char_p
_vp = ctypes.c_void_p
_dp = ctypes.POINTER(ctypes.c_double)
_u32p = ctypes.POINTER(ctypes.c_uint32)
_u8p = ctypes.POINTER(ctypes.c_uint8)


class Dist(ctypes.Structure):
    _fields_ = [("name", _cp), ("p", _d * 4), ("n_p", _u32)]


class Value(ctypes.Structure):
    _fields_ = [("kind", _int), ("c", _d), ("array", _dp), ("n", _sz), ("dist", Dist),
                ("expr", _cp)]


class Structure(ctypes.Structure):
    _fields_ = [("kind", _int), ("p", _d * 8), ("fill_random", _int)]


class Space(ctypes.Structure):
    _fields_ = [("axes", _cp), ("periodic", _d * 3)]


class View(ctypes.Structure):
    _fields_ = [("pop", _i32), ("n", _u32), ("idx", _u32p)]


class Connector(ctypes.Structure):
    _fields_ = [("kind", _int), ("p", _d), ("degree", _d), ("n", _u64),
                ("allow_self_connections", _int), ("with_replacement", _int), ("expr", _cp),
                ("list", _dp), ("n_rows", _sz), ("n_cols", _u32), ("path", _cp),
                ("matrix", _u8p)]


class Synapse(ctypes.Structure):
    _fields_ = [("weight", Value), ("delay", Value)]


class Stdp(ctypes.Structure):
    _fields_ = [("timing", _int), ("tau_plus", _d), ("tau_minus", _d), ("A_plus", _d),
                ("A_minus", _d), ("weight", _int), ("w_min", _d), ("w_max", _d),
                ("dendritic_delay_fraction", _d)]


class MachineOpts(ctypes.Structure):
    _fields_ = [("width", _u32), ("height", _u32), ("cores_per_chip", _u32),
                ("neurons_per_core", _u32), ("wrap", _int), ("threads", ctypes.c_uint),
                ("spikes_per_second", _d), ("ring_buffer_sigma", _d)]


class RunStats(ctypes.Structure):
    _fields_ = [("sim_time_ms", _d), ("wall_map_s", _d), ("wall_load_s", _d),
                ("wall_run_s", _d), ("spikes", _u64), ("synaptic_events", _u64),
                ("saturations", _u64), ("dropped_packets", _u64), ("late_packets", _u64),
                ("mpt_misses", _u64)]


class MappingReport(ctypes.Structure):
    _fields_ = [("chips_x", _u32), ("chips_y", _u32), ("cores_used", _u32),
                ("cores_per_chip", _u32), ("neurons", _u64), ("synapses", _u64),
                ("max_table_before", _u32), ("max_table_after", _u32),
                ("table_entries_before", _u64), ("table_entries_after", _u64),
                ("max_core_words", _u64), ("total_words", _u64),
                ("delay_extension_cores", _u32), ("map_seconds", _d)]


class ParamInfo(ctypes.Structure):
    _fields_ = [("name", _cp), ("unit", _cp), ("default", _d)]


class ModelInfo(ctypes.Structure):
    _fields_ = [("name", _cp), ("id", _u32), ("kind", _u32), ("param_words", _u32),
                ("state_words", _u32), ("params", ctypes.POINTER(ParamInfo)),
                ("n_params", _u32), ("inits", ctypes.POINTER(ParamInfo)), ("n_inits", _u32),
                ("conductance", _int), ("current_scale", _d), ("note", _cp)]


_STRUCTS = {"axon_dist": Dist, "axon_value": Value, "axon_structure": Structure,
            "axon_space": Space, "axon_view": View, "axon_connector": Connector,
            "axon_synapse": Synapse, "axon_machine_opts": MachineOpts, "axon_stdp": Stdp,
            "axon_run_stats": RunStats, "axon_mapping_report": MappingReport,
            "axon_param_info": ParamInfo, "axon_model_info": ModelInfo}

_P = ctypes.c_void_p  # axon_ctx *

# name: (restype, argtypes)
_SIGNATURES = {
    "axon_abi_sizeof": (_sz, [_cp]),
    "axon_strerror": (_cp, [_int]),
    "axon_create": (_int, [ctypes.POINTER(_P)]),
    "axon_destroy": (None, [_P]),
    "axon_last_error": (_cp, [_P]),
    "axon_setup": (_int, [_P, _d, _d, _d, _u64]),
    "axon_timestep": (_d, [_P]),
    "axon_seed": (_u64, [_P]),
    "axon_set_machine": (_int, [_P, ctypes.POINTER(MachineOpts)]),
    "axon_set_threads": (_int, [_P, ctypes.c_uint]),
    "axon_set_backend": (_int, [_P, _cp]),
    "axon_set_trace": (_int, [_P, _cp]),
    "axon_run": (_int, [_P, _d]),
    "axon_time": (_d, [_P]),
    "axon_reset": (_int, [_P]),
    "axon_end": (_int, [_P]),
    "axon_random": (_int, [_P, ctypes.POINTER(Dist), _dp, _sz]),
    "axon_population": (_int, [_P, _u32, _cp, _cp, ctypes.POINTER(Structure),
                               ctypes.POINTER(_i32)]),
    "axon_pop_set": (_int, [_P, _i32, _cp, ctypes.POINTER(Value)]),
    "axon_pop_initialize": (_int, [_P, _i32, _cp, ctypes.POINTER(Value)]),
    "axon_pop_get": (_int, [_P, _i32, _cp, _dp]),
    "axon_pop_set_spike_times": (_int, [_P, _i32, _i32, _dp, _sz]),
    "axon_pop_positions": (_int, [_P, _i32, _dp]),
    "axon_pop_set_positions": (_int, [_P, _i32, _dp]),
    "axon_pop_size": (_u32, [_P, _i32]),
    "axon_pop_label": (_cp, [_P, _i32]),
    "axon_view_slice": (_int, [_P, _i32, ctypes.c_int64, ctypes.c_int64, ctypes.c_int64,
                               ctypes.POINTER(View)]),
    "axon_view_indices": (_int, [_P, _i32, _u32p, _u32, ctypes.POINTER(View)]),
    "axon_view_sample": (_int, [_P, _i32, _u32, ctypes.POINTER(View)]),
    "axon_record": (_int, [_P, ctypes.POINTER(View), _cp, _d]),
    "axon_recorded_count": (_u32, [_P, _i32, _cp]),
    "axon_connector_default": (Connector, [_int]),
    "axon_projection": (_int, [_P, ctypes.POINTER(View), ctypes.POINTER(View),
                               ctypes.POINTER(Connector), ctypes.POINTER(Synapse), _cp,
                               ctypes.POINTER(Space), _cp, ctypes.POINTER(_i32)]),
    "axon_proj_connections": (_int, [_P, _i32, ctypes.POINTER(_sz), _u32p, _u32p, _dp, _dp,
                                     _sz]),
    "axon_proj_save": (_int, [_P, _i32, _cp]),
    "axon_proj_set_stdp": (_int, [_P, _i32, ctypes.POINTER(Stdp)]),
    "axon_proj_is_plastic": (_int, [_P, _i32]),
    "axon_get_spikes": (_int, [_P, _i32, ctypes.POINTER(_sz), _u32p, _dp, _sz]),
    "axon_get_signal": (_int, [_P, _i32, _cp, _u32p, _u32p, _dp, _u32p, _dp]),
    "axon_stats": (_int, [_P, ctypes.POINTER(RunStats)]),
    "axon_describe": (_int, [_P, ctypes.POINTER(MappingReport)]),
    "axon_describe_text": (_vp, [_P]),
    "axon_write_hdf5": (_int, [_P, _cp]),
    "axon_set_output": (_int, [_P, _cp, _int]),
    "axon_spike_count": (_u64, [_P, _i32]),
    "axon_warnings": (_cp, [_P]),
    "axon_model_count": (_u32, []),
    "axon_model_at": (ctypes.POINTER(ModelInfo), [_u32]),
}


def _candidates():
    env = os.environ.get("AXON_LIB")
    if env:
        return [env]
    here = os.path.dirname(os.path.abspath(__file__))
    out = [os.path.normpath(os.path.join(here, "..", "..", "..", "build", "hostlib",
                                         "libaxon.so"))]
    found = ctypes.util.find_library("axon")
    out.append(found or "libaxon.so")
    return out


def _load():
    errors = []
    for path in _candidates():
        if os.sep in path and not os.path.exists(path):
            errors.append("%s: no such file" % path)
            continue
        try:
            return ctypes.CDLL(path), path
        except OSError as err:
            errors.append(str(err))
    raise ImportError(
        "pyNN.axon cannot load Axon's host library libaxon.so (build it with "
        "`cmake -S . -B build && cmake --build build`, or set AXON_LIB to its path): "
        + "; ".join(errors))


lib, LIB_PATH = _load()

for _name, (_res, _args) in _SIGNATURES.items():
    try:
        _f = getattr(lib, _name)
    except AttributeError:
        raise ImportError("%s (%s) lacks %s: rebuild it" % (LIB_PATH, "libaxon.so", _name))
    _f.restype = _res
    _f.argtypes = _args

for _name, _cls in _STRUCTS.items():
    _csize = lib.axon_abi_sizeof(_name.encode())
    if _csize != ctypes.sizeof(_cls):
        raise ImportError("%s: %s is %d bytes in C but %d in pyNN/axon/_capi.py; the binding "
                          "does not match include/axon/axon.h" % (LIB_PATH, _name, _csize,
                                                                   ctypes.sizeof(_cls)))

libc = ctypes.CDLL(None)
libc.free.argtypes = [_vp]
libc.free.restype = None


# ---------------------------------------------------------------------------- helpers
def dptr(a):
    """Pointer to the data of a C-contiguous float64 array (or NULL for None)."""
    if a is None:
        return None
    return a.ctypes.data_as(_dp)


def u32ptr(a):
    if a is None:
        return None
    return a.ctypes.data_as(_u32p)


def models():
    """The cell types of the library: name -> dict(kind, params, inits, conductance, note)."""
    out = {}
    for i in range(lib.axon_model_count()):
        m = lib.axon_model_at(i).contents
        params = [(m.params[k].name.decode(), m.params[k].unit.decode(), m.params[k].default)
                  for k in range(m.n_params)]
        inits = [(m.inits[k].name.decode(), m.inits[k].unit.decode(), m.inits[k].default)
                 for k in range(m.n_inits)]
        out[m.name.decode()] = dict(kind=m.kind, params=params, inits=inits,
                                    conductance=bool(m.conductance),
                                    note=m.note.decode() if m.note else "")
    return out
