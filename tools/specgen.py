#!/usr/bin/python3
"""Generate the C header (and the SystemVerilog package) from docs/spec/axon_spec.json.

Usage: specgen.py SPEC.json --c OUT.h [--sv OUT.sv]

The JSON file is the single source of truth for everything the golden model, the host
library and the RTL share. Nothing in the generated files is written by hand.
"""
import argparse
import json
import sys


def up(name):
    return name.upper()


def model_blocks(spec):
    """Yield (model_name, model, params, state) with concatenated component blocks."""
    comps = spec["models"]["components"]
    for name, m in spec["models"]["list"].items():
        params, state = [], []
        for part in ("neuron", "input", "synapse"):
            c = comps[m[part]]
            params += [(m[part], *p) for p in c["params"]]
            state += [(m[part], *s) for s in c["state"]]
        yield name, m, params, state


def fields(prefix, flds):
    out = []
    for fname, f in flds.items():
        n = f"{prefix}_{up(fname)}"
        mask = (1 << f["width"]) - 1
        out.append(f"#define {n}_LSB {f['lsb']}u")
        out.append(f"#define {n}_WIDTH {f['width']}u")
        out.append(f"#define {n}_MASK 0x{mask:X}u")
    return out


def protocol_c(spec):
    """C defines of the host <-> board protocol (AXON_PROTO_*, docs/spec/protocol.md)."""
    pr = spec["protocol"]
    L = []
    a = L.append
    v = pr["version"]
    a(f"#define AXON_PROTO_VERSION_MAJOR {v['major']}u")
    a(f"#define AXON_PROTO_VERSION_MINOR {v['minor']}u")
    a("#define AXON_PROTO_VERSION ((AXON_PROTO_VERSION_MAJOR << 16) | AXON_PROTO_VERSION_MINOR)")
    for k in ("sync", "header_words", "crc_words", "max_data_words", "max_payload_words", "window",
              "timeout_ms", "retries"):
        a(f"#define AXON_PROTO_{up(k)} {pr[k]}u")
    a(f"#define AXON_PROTO_CRC_POLY 0x{pr['crc_poly_reflected']:08X}u")
    a(f"#define AXON_PROTO_CRC_CHECK 0x{pr['crc_check']:08X}u")
    L += fields("AXON_PROTO_H0", pr["header0"])
    L += fields("AXON_PROTO_H1", pr["header1"])
    L += fields("AXON_PROTO_TGT", pr["target"])
    for k, val in pr["flags"].items():
        a(f"#define AXON_PROTO_FLAG_{k} (1u << {val})")
    for grp, pre in (("opcodes", "OP"), ("status", "ST"), ("spaces", "SPACE"), ("run_modes", "MODE"),
                     ("board_states", "STATE"), ("image_detail", "IMAGE_DETAIL")):
        for k, val in pr[grp].items():
            a(f"#define AXON_PROTO_{pre}_{k} {val}u")
    for grp, pre in (("hello", "HELLO"), ("board_status", "BST")):
        for i, n in enumerate(pr[grp]):
            a(f"#define AXON_PROTO_{pre}_{up(n)} {i}u")
        a(f"#define AXON_PROTO_{pre}_N {len(pr[grp])}u")
    a("#define AXON_PROTO_STATUS_NAMES_INIT {" + ", ".join(f'"{k}"' for k in pr["status"]) + "}")
    a("#define AXON_PROTO_BST_NAMES_INIT {" + ", ".join(f'"{k}"' for k in pr["board_status"]) + "}")
    for k, val in pr["usb"].items():
        a(f"#define AXON_USB_{up(k)} 0x{val:X}u")
    return L


def protocol_sv(spec, camel):
    """SystemVerilog localparams of the protocol (axon_pkg::Proto*)."""
    pr = spec["protocol"]
    L = []
    a = L.append
    v = pr["version"]
    a(f"  localparam int unsigned ProtoVersion = 32'h{(v['major'] << 16) | v['minor']:08x};")
    for k in ("sync", "header_words", "max_data_words", "max_payload_words", "window"):
        a(f"  localparam int unsigned {camel('Proto', k)} = {pr[k]};")
    a(f"  localparam logic [31:0] ProtoCrcPoly = 32'h{pr['crc_poly_reflected']:08x};")
    for grp, flds in (("ProtoH0", pr["header0"]), ("ProtoH1", pr["header1"]), ("ProtoTgt", pr["target"])):
        for fname, f in flds.items():
            a(f"  localparam int unsigned {camel(grp, fname)}Lsb = {f['lsb']};")
            a(f"  localparam int unsigned {camel(grp, fname)}Width = {f['width']};")
    for grp, pre in (("flags", "ProtoFlag"), ("opcodes", "ProtoOp"), ("status", "ProtoSt"),
                     ("spaces", "ProtoSpace"), ("run_modes", "ProtoMode"), ("board_states", "ProtoState"),
                     ("image_detail", "ProtoImageDetail")):
        for k, val in pr[grp].items():
            a(f"  localparam int unsigned {camel(pre, k.lower())} = {val};")
    for grp, pre in (("hello", "ProtoHello"), ("board_status", "ProtoBst")):
        for i, n in enumerate(pr[grp]):
            a(f"  localparam int unsigned {camel(pre, n)} = {i};")
        a(f"  localparam int unsigned {pre}N = {len(pr[grp])};")
    return L


# scalar constants of the plasticity section (AXON_PLAST_* / axon_pkg::Plast*)
PLAST_SCALARS = ("row_overhead", "max_rules", "region_n_rules", "region_rule_base", "rule_words",
                 "trace_frac_bits", "trace_max", "tau_frac_bits", "amp_frac_bits", "amp_max",
                 "lut_frac_bits", "lut_max_entries", "lut_core_entries", "lanes", "post_history")


def gen_c_plasticity(spec):
    """C defines of the plasticity section (docs/spec/plasticity.md)."""
    pl = spec["plasticity"]
    L = []
    for k, val in pl["core_header"].items():
        L.append(f"#define AXON_CORE_H_{up(k)} {val}")
    L += fields("AXON_PROW", pl["row_header"])
    for k, val in pl["row_words"].items():
        L.append(f"#define AXON_PROW_{up(k)} {val}u")
    for k in PLAST_SCALARS:
        L.append(f"#define AXON_PLAST_{up(k)} {pl[k]}u")
    for k, val in pl["rule_word"].items():
        L.append(f"#define AXON_PRULE_{up(k)} {val}u")
    L += fields("AXON_PRULE_FLAG", pl["rule_flags"])
    for grp in ("timing", "weight"):
        for k, val in pl[grp].items():
            L.append(f"#define AXON_PLAST_{up(grp)}_{k} {val}u")
    L.append("")
    return L


def gen_sv_plasticity(spec, camel):
    """SystemVerilog localparams of the plasticity section."""
    pl = spec["plasticity"]
    L = []
    for k, val in pl["core_header"].items():
        L.append(f"  localparam int unsigned {camel('CoreH', k)} = {val};")
    for fname, f in pl["row_header"].items():
        L.append(f"  localparam int unsigned {camel('Prow', fname)}Lsb = {f['lsb']};")
        L.append(f"  localparam int unsigned {camel('Prow', fname)}Width = {f['width']};")
    for k, val in pl["row_words"].items():
        L.append(f"  localparam int unsigned {camel('Prow', k)} = {val};")
    for k in PLAST_SCALARS:
        L.append(f"  localparam int unsigned {camel('Plast', k)} = {pl[k]};")
    for k, val in pl["rule_word"].items():
        L.append(f"  localparam int unsigned {camel('Prule', k)} = {val};")
    for fname, f in pl["rule_flags"].items():
        L.append(f"  localparam int unsigned {camel('PruleFlag', fname)}Lsb = {f['lsb']};")
    for grp in ("timing", "weight"):
        for k, val in pl[grp].items():
            L.append(f"  localparam int unsigned {camel('Plast' + grp.capitalize(), k.lower())} = {val};")
    return L


def gen_c(spec):
    L = []
    a = L.append
    a("/* Generated by tools/specgen.py from docs/spec/axon_spec.json. Do not edit. */")
    a("#ifndef AXON_SPEC_H")
    a("#define AXON_SPEC_H")
    a("")
    v = spec["version"]
    a(f"#define AXON_SPEC_VERSION_MAJOR {v['major']}u")
    a(f"#define AXON_SPEC_VERSION_MINOR {v['minor']}u")
    a(f"#define AXON_SPEC_VERSION ((AXON_SPEC_VERSION_MAJOR << 16) | AXON_SPEC_VERSION_MINOR)")
    a("")
    fx = spec["fixed"]
    a(f"#define AXON_S1615_FRAC_BITS {fx['s1615_frac_bits']}")
    a(f"#define AXON_U032_FRAC_BITS {fx['u032_frac_bits']}")
    a(f"#define AXON_COND_SHIFT {fx['cond_shift']}")
    a(f"#define AXON_IZK_COEF_004 {fx['izk_coef_004']}")
    a(f"#define AXON_IZK_H_SPIKE_FACTOR_X100 {fx['izk_h_spike_factor_x100']}")
    a(f"#define AXON_IZK_CURRENT_SCALE {fx['izk_current_scale']}")
    a(f"#define AXON_COND_WEIGHT_SCALE {fx['cond_weight_scale']}")
    a("")
    p = spec["packet"]
    L += fields("AXON_PKT", p["fields"])
    for k, val in p["types"].items():
        a(f"#define AXON_PKT_TYPE_{k} {val}u")
    for k, val in p["emergency_states"].items():
        a(f"#define AXON_PKT_EMERGENCY_{k} {val}u")
    a("")
    r = spec["router"]
    a(f"#define AXON_ROUTER_MC_ENTRIES {r['mc_entries']}")
    a(f"#define AXON_ROUTER_LINKS {r['links']}")
    a(f"#define AXON_ROUTER_MAX_CORES {r['max_cores']}")
    a(f"#define AXON_ROUTE_LINK_LSB {r['route_link_lsb']}")
    a(f"#define AXON_ROUTE_CORE_LSB {r['route_core_lsb']}")
    a(f"#define AXON_ROUTE_BITS {r['route_bits']}")
    a(f"#define AXON_ROUTER_MAX_HOPS {r['max_hops']}")
    for i, n in enumerate(r["link_names"]):
        a(f"#define AXON_LINK_{n} {i}")
    a("#define AXON_LINK_DX_INIT {" + ", ".join(str(x) for x in r["link_dx"]) + "}")
    a("#define AXON_LINK_DY_INIT {" + ", ".join(str(x) for x in r["link_dy"]) + "}")
    a('#define AXON_LINK_NAMES_INIT {' + ", ".join(f'"{n}"' for n in r["link_names"]) + "}")
    a("")
    s = spec["synapse"]
    L += fields("AXON_SYN", s["word"])
    L += fields("AXON_ROW", s["row_header"])
    L += fields("AXON_MPT_SHAPE", s["mpt_shape"])
    for k, val in s["types"].items():
        a(f"#define AXON_SYN_TYPE_{k} {val}")
    for k in ("n_types", "max_types", "ring_slots", "max_core_delay", "ring_max", "max_weight_shift",
              "mpt_entry_words"):
        a(f"#define AXON_SYN_{up(k)} {s[k]}")
    for k, val in s["mpt_word"].items():
        a(f"#define AXON_MPT_W_{up(k)} {val}")
    a("")
    d = spec["delay_ext"]
    for k, val in d.items():
        a(f"#define AXON_DE_{up(k)} {val}")
    a("")
    c = spec["core"]
    a(f"#define AXON_CORE_MAGIC 0x{c['magic']:08X}u")
    a(f"#define AXON_CORE_MAX_NEURONS {c['max_neurons']}")
    a(f"#define AXON_CORE_HEADER_WORDS {c['header_words']}")
    for k, val in c["header"].items():
        a(f"#define AXON_CORE_H_{up(k)} {val}")
    for k, val in c["flags"].items():
        a(f"#define AXON_CORE_FLAG_{k} (1u << {val})")
    for k, val in c["kinds"].items():
        a(f"#define AXON_KIND_{k} {val}")
    a(f"#define AXON_WEIGHT_SHIFT_BITS {c['weight_shift_bits']}")
    for k, val in c["rec_vars"].items():
        a(f"#define AXON_REC_{k} {val}")
    a(f"#define AXON_N_REC_VARS {c['n_rec_vars']}")
    a("")
    for name, m, params, state in model_blocks(spec):
        N = up(name)
        a(f"#define AXON_MODEL_{N} {m['id']}")
        for i, (comp, pn, fmt, unit) in enumerate(params):
            a(f"#define AXON_P_{N}_{up(pn)} {i} /* {fmt}, {unit} */")
        a(f"#define AXON_P_{N}_WORDS {len(params)}")
        for i, (comp, sn, fmt, unit) in enumerate(state):
            a(f"#define AXON_S_{N}_{up(sn)} {i} /* {fmt}, {unit} */")
        a(f"#define AXON_S_{N}_WORDS {len(state)}")
        code = {"s1615": "s", "u032": "u", "u32": "i"}
        a(f'#define AXON_P_{N}_FMT "' + "".join(code[f] for _, _, f, _ in params) + '"')
        a(f'#define AXON_S_{N}_FMT "' + "".join(code[f] for _, _, f, _ in state) + '"')
    a("#define AXON_MODELS_XLIST(X) " + " ".join(f"X({up(n)})" for n in spec["models"]["list"]))
    a(f"#define AXON_MODEL_MAX_ID {max(m['id'] for m in spec['models']['list'].values())}")
    a("")
    src = spec["source"]
    for i, (pn, fmt, unit) in enumerate(src["poisson_params"]):
        a(f"#define AXON_P_POISSON_{up(pn)} {i} /* {fmt}, {unit} */")
    a(f"#define AXON_P_POISSON_WORDS {len(src['poisson_params'])}")
    a(f"#define AXON_SSA_EVENT_WORDS {src['array_event_words']}")
    a(f"#define AXON_POISSON_MAX_SPIKES_PER_STEP {src['poisson_max_spikes_per_step']}")
    a(f"#define AXON_POISSON_MAX_LAMBDA {src['poisson_max_lambda']}")
    a(f"#define AXON_KISS_MUL_X {src['kiss_mul_x']}u")
    a(f"#define AXON_KISS_ADD_X {src['kiss_add_x']}u")
    a(f"#define AXON_KISS_MUL_Z {src['kiss_mul_z']}ull")
    a(f"#define AXON_KISS_C_LIMIT {src['kiss_c_limit']}u")
    a("")
    rec = spec["recording"]
    for k, val in rec["block_words"].items():
        a(f"#define AXON_REC_W_{up(k)} {val}")
    L += fields("AXON_REC_COUNTS", rec["counts"])
    a("")
    for group in ("core", "router"):
        names = spec["counters"][group]
        for i, n in enumerate(names):
            a(f"#define AXON_CNT_{up(group)}_{up(n)} {i}")
        a(f"#define AXON_CNT_{up(group)}_N {len(names)}")
        a(f"#define AXON_CNT_{up(group)}_NAMES_INIT {{" + ", ".join(f'"{n}"' for n in names) + "}")
    a("")
    ci = spec["core_if"]
    for k in ("addr_bits", "mem_base", "reg_base", "state_base", "state_stride", "pkt_bus_width"):
        a(f"#define AXON_CIF_{up(k)} 0x{ci[k]:X}u")
    for k, val in ci["regs"].items():
        a(f"#define AXON_CIF_REG_{up(k)} {val}u")
    for k, val in ci["ctrl"].items():
        a(f"#define AXON_CIF_CTRL_{k} (1u << {val})")
    for k, val in ci["status"].items():
        a(f"#define AXON_CIF_STATUS_{k} (1u << {val})")
    L += fields("AXON_CIF_INFO", ci["info"])
    for k, val in ci["errors"].items():
        a(f"#define AXON_CIF_ERR_{k} {val}u")
    a(f"#define AXON_CIF_ERR_N {len(ci['errors'])}u")
    L += fields("AXON_CIF_PKT", ci["pkt_bus"])
    a("")
    L += gen_c_router_if(spec)
    L += gen_c_chip_if(spec)
    L += protocol_c(spec)
    a("")
    L += gen_c_plasticity(spec)
    im = spec["image"]
    a(f"#define AXON_IMAGE_MAGIC 0x{im['magic']:08X}u")
    a(f"#define AXON_IMAGE_HEADER_WORDS {im['header_words']}u")
    a(f"#define AXON_IMAGE_MAX_WIDTH {im['max_width']}")
    a(f"#define AXON_IMAGE_MAX_HEIGHT {im['max_height']}")
    for k, val in im["flags"].items():
        a(f"#define AXON_IMAGE_FLAG_{k} (1u << {val})")
    a("")
    a("#endif /* AXON_SPEC_H */")
    return "\n".join(L) + "\n"


def gen_c_router_if(spec):
    """AXON_RIF_*: the router's configuration interface (router_if)."""
    r = spec["router_if"]
    L = []
    a = L.append
    for k in ("addr_bits", "mc_route_base", "p2p_base", "p2p_entries", "diag_counters",
              "wait_forever", "wait_reset", "monitor_core"):
        a(f"#define AXON_RIF_{up(k)} 0x{r[k]:X}u")
    for k, val in r["regs"].items():
        a(f"#define AXON_RIF_REG_{up(k)} {val}u")
    for grp in ("ctrl", "status"):
        for k, val in r[grp].items():
            a(f"#define AXON_RIF_{up(grp)}_{k} (1u << {val})")
    for grp in ("info", "wait", "hdr", "diag"):
        L += fields(f"AXON_RIF_{up(grp)}", r[grp])
    for grp in ("drop_reasons", "p2p_codes", "nn_codes"):
        for k, val in r[grp].items():
            a(f"#define AXON_RIF_{up(grp)}_{k} {val}u")
    L += fields("AXON_RIF_NN", {"link": r["nn_link"]})
    a("#define AXON_RIF_DIAG_DEFAULTS_INIT {" + ", ".join(f"0x{x:X}u" for x in r["diag_defaults"]) + "}")
    g = r["golden_diag"]
    a(f"#define AXON_RIF_GOLDEN_DIAG_FIRST {g['first']}u")
    a(f"#define AXON_RIF_GOLDEN_DIAG_N {len(g['filters'])}u")
    for k, x in enumerate(g["filters"]):
        a(f"#define AXON_RIF_GOLDEN_DIAG_FILTER_{k} 0x{x:X}u")
    a("#define AXON_RIF_GOLDEN_DIAG_FILTERS_INIT {" + ", ".join(f"0x{x:X}u" for x in g["filters"]) + "}")
    return L


def gen_c_chip_if(spec):
    """AXON_CHIP_IF_*: the chip's configuration interface (chip_if)."""
    ch = spec["chip_if"]
    L = []
    a = L.append
    for k in ("unit_bits", "addr_bits", "coord_bits", "unit_chip", "unit_router"):
        a(f"#define AXON_CHIP_IF_{up(k)} {ch[k]}u")
    for k, val in ch["regs"].items():
        a(f"#define AXON_CHIP_IF_REG_{up(k)} {val}u")
    for k, val in ch["status"].items():
        a(f"#define AXON_CHIP_IF_STATUS_{k} (1u << {val})")
    L += fields("AXON_CHIP_IF_INFO", ch["info"])
    return L


def gen_sv_chip_if(spec, camel):
    """axon_pkg::ChipIf*: the chip's configuration interface (chip_if)."""
    ch = spec["chip_if"]
    L = []
    a = L.append
    for k in ("unit_bits", "addr_bits", "coord_bits", "unit_chip", "unit_router"):
        a(f"  localparam int unsigned {camel('ChipIf', k)} = {ch[k]};")
    for k, val in ch["regs"].items():
        a(f"  localparam int unsigned {camel('ChipIfReg', k)} = {val};")
    for k, val in ch["status"].items():
        a(f"  localparam int unsigned {camel('ChipIfStatus', k.lower())}Bit = {val};")
    for fname, f in ch["info"].items():
        a(f"  localparam int unsigned {camel('ChipIfInfo', fname)}Lsb = {f['lsb']};")
        a(f"  localparam int unsigned {camel('ChipIfInfo', fname)}Width = {f['width']};")
    return L


def gen_sv_router_if(spec, camel):
    """axon_pkg::Rif*: the router's configuration interface (router_if)."""
    r = spec["router_if"]
    L = []
    a = L.append
    for k in ("addr_bits", "mc_route_base", "p2p_base", "p2p_entries", "diag_counters",
              "wait_forever", "wait_reset", "monitor_core"):
        a(f"  localparam int unsigned {camel('Rif', k)} = {r[k]};")
    for k, val in r["regs"].items():
        a(f"  localparam int unsigned {camel('RifReg', k)} = {val};")
    for grp in ("ctrl", "status"):
        for k, val in r[grp].items():
            a(f"  localparam int unsigned {camel('Rif' + grp.capitalize(), k.lower())}Bit = {val};")
    for grp in ("info", "wait", "hdr", "diag"):
        for fname, f in r[grp].items():
            a(f"  localparam int unsigned {camel('Rif' + grp.capitalize(), fname)}Lsb = {f['lsb']};")
            a(f"  localparam int unsigned {camel('Rif' + grp.capitalize(), fname)}Width = {f['width']};")
    for grp, pre in (("drop_reasons", "RifDrop"), ("p2p_codes", "RifP2p"), ("nn_codes", "RifNn")):
        for k, val in r[grp].items():
            a(f"  localparam int unsigned {camel(pre, k.lower())} = {val};")
    a(f"  localparam int unsigned RifNnLinkLsb = {r['nn_link']['lsb']};")
    a(f"  localparam int unsigned RifNnLinkWidth = {r['nn_link']['width']};")
    vals = ", ".join(f"32'h{x:08x}" for x in reversed(r["diag_defaults"]))
    a(f"  localparam logic [{32 * len(r['diag_defaults']) - 1}:0] RifDiagDefaults = {{{vals}}};")
    g = r["golden_diag"]
    a(f"  localparam int unsigned RifGoldenDiagFirst = {g['first']};")
    vals = ", ".join(f"32'h{x:08x}" for x in reversed(g["filters"]))
    a(f"  localparam logic [{32 * len(g['filters']) - 1}:0] RifGoldenDiagFilters = {{{vals}}};")
    for k, val in spec["packet"]["types"].items():
        a(f"  localparam int unsigned {camel('PktType', k.lower())} = {val};")
    for k, val in spec["packet"]["emergency_states"].items():
        a(f"  localparam int unsigned {camel('PktEmergency', k.lower())} = {val};")
    for k, val in spec["router"].items():
        if isinstance(val, int):
            a(f"  localparam int unsigned {camel('Router', k)} = {val};")
    # link l's neighbour offsets + 1 (0..2), 2 bits per link, link 0 in bits 1:0
    for k in ("link_dx", "link_dy"):
        bits = "".join(f"{v + 1:02b}" for v in reversed(spec["router"][k]))
        n = 2 * len(spec["router"][k])
        a(f"  localparam logic [{n - 1}:0] {camel('Router', k)}Plus1 = {n}'b{bits};")
    return L


def gen_sv(spec):
    """SystemVerilog package: localparams only (Yosys 0.23 accepts qualified pkg::CONST)."""
    L = ["// Generated by tools/specgen.py from docs/spec/axon_spec.json. Do not edit.",
         "package axon_pkg;"]
    a = L.append
    v = spec["version"]
    a(f"  localparam int unsigned SpecVersion = 32'h{(v['major'] << 16) | v['minor']:08x};")
    fx = spec["fixed"]
    a(f"  localparam int unsigned S1615FracBits = {fx['s1615_frac_bits']};")
    a(f"  localparam int unsigned CondShift = {fx['cond_shift']};")
    a(f"  localparam int unsigned IzkCoef004 = {fx['izk_coef_004']};")

    def camel(prefix, name):
        return prefix + "".join(w.capitalize() for w in name.split("_"))

    for grp, flds in (("Pkt", spec["packet"]["fields"]), ("Syn", spec["synapse"]["word"]),
                      ("Row", spec["synapse"]["row_header"]), ("MptShape", spec["synapse"]["mpt_shape"]),
                      ("RecCounts", spec["recording"]["counts"])):
        for fname, f in flds.items():
            a(f"  localparam int unsigned {camel(grp, fname)}Lsb = {f['lsb']};")
            a(f"  localparam int unsigned {camel(grp, fname)}Width = {f['width']};")
    s = spec["synapse"]
    for k in ("n_types", "ring_slots", "max_core_delay", "mpt_entry_words", "ring_max",
              "max_weight_shift"):
        a(f"  localparam int unsigned {camel('Syn', k)} = {s[k]};")
    for k in ("stages", "stage_steps", "stage_key_lsb", "buffer_slots"):
        a(f"  localparam int unsigned {camel('De', k)} = {spec['delay_ext'][k]};")
    im = spec["image"]
    a(f"  localparam logic [31:0] ImageMagic = 32'h{im['magic']:08x};")
    a(f"  localparam int unsigned ImageHeaderWords = {im['header_words']};")
    a(f"  localparam int unsigned ImageMaxWidth = {im['max_width']};")
    a(f"  localparam int unsigned ImageMaxHeight = {im['max_height']};")
    for k, val in im["flags"].items():
        a(f"  localparam int unsigned {camel('ImageFlag', k.lower())}Bit = {val};")
    c = spec["core"]
    a(f"  localparam logic [31:0] CoreMagic = 32'h{c['magic']:08x};")
    a(f"  localparam int unsigned CoreMaxNeurons = {c['max_neurons']};")
    a(f"  localparam int unsigned CoreHeaderWords = {c['header_words']};")
    a(f"  localparam int unsigned WeightShiftBits = {c['weight_shift_bits']};")
    for k, val in c["header"].items():
        a(f"  localparam int unsigned {camel('CoreH', k)} = {val};")
    for k, val in c["flags"].items():
        a(f"  localparam int unsigned {camel('CoreFlag', k.lower())}Bit = {val};")
    for k, val in c["rec_vars"].items():
        a(f"  localparam int unsigned {camel('RecVar', k.lower())} = {val};")
    a(f"  localparam int unsigned NRecVars = {c['n_rec_vars']};")
    for k, val in s["mpt_word"].items():
        a(f"  localparam int unsigned {camel('MptW', k)} = {val};")
    for k, val in c["kinds"].items():
        a(f"  localparam int unsigned {camel('Kind', k.lower())} = {val};")
    for name, m, params, state in model_blocks(spec):
        mn = name.replace("_", "")
        a(f"  localparam int unsigned Model{mn} = {m['id']};")
        for i, (comp, pn, fmt, unit) in enumerate(params):
            a(f"  localparam int unsigned {camel('P' + mn, pn)} = {i};")
        a(f"  localparam int unsigned P{mn}Words = {len(params)};")
        for i, (comp, sn, fmt, unit) in enumerate(state):
            a(f"  localparam int unsigned {camel('S' + mn, sn)} = {i};")
        a(f"  localparam int unsigned S{mn}Words = {len(state)};")
    src = spec["source"]
    a(f"  localparam logic [31:0] KissMulX = 32'd{src['kiss_mul_x']};")
    a(f"  localparam logic [31:0] KissAddX = 32'd{src['kiss_add_x']};")
    a(f"  localparam logic [31:0] KissMulZ = 32'd{src['kiss_mul_z']};")
    a(f"  localparam logic [31:0] KissCLimit = 32'd{src['kiss_c_limit']};")
    for i, (pn, fmt, unit) in enumerate(src["poisson_params"]):
        a(f"  localparam int unsigned {camel('PPoisson', pn)} = {i};")
    a(f"  localparam int unsigned PPoissonWords = {len(src['poisson_params'])};")
    a(f"  localparam int unsigned SsaEventWords = {src['array_event_words']};")
    a(f"  localparam int unsigned PoissonMaxSpikesPerStep = {src['poisson_max_spikes_per_step']};")
    for group in ("core", "router"):
        for i, n in enumerate(spec["counters"][group]):
            a(f"  localparam int unsigned {camel('Cnt' + group.capitalize(), n)} = {i};")
        a(f"  localparam int unsigned Cnt{group.capitalize()}N = {len(spec['counters'][group])};")
    ci = spec["core_if"]
    for k in ("addr_bits", "mem_base", "reg_base", "state_base", "state_stride", "pkt_bus_width"):
        a(f"  localparam int unsigned {camel('Cif', k)} = {ci[k]};")
    for k, val in ci["regs"].items():
        a(f"  localparam int unsigned {camel('CifReg', k)} = {val};")
    for k, val in ci["ctrl"].items():
        a(f"  localparam int unsigned {camel('CifCtrl', k.lower())}Bit = {val};")
    for k, val in ci["status"].items():
        a(f"  localparam int unsigned {camel('CifStatus', k.lower())}Bit = {val};")
    for k, val in ci["errors"].items():
        a(f"  localparam int unsigned {camel('CifErr', k.lower())} = {val};")
    for grp, flds in (("CifInfo", ci["info"]), ("CifPkt", ci["pkt_bus"])):
        for fname, f in flds.items():
            a(f"  localparam int unsigned {camel(grp, fname)}Lsb = {f['lsb']};")
            a(f"  localparam int unsigned {camel(grp, fname)}Width = {f['width']};")
    L += gen_sv_router_if(spec, camel)
    L += gen_sv_chip_if(spec, camel)
    L += protocol_sv(spec, camel)
    L += gen_sv_plasticity(spec, camel)
    a("endpackage")
    return "\n".join(L) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("spec")
    ap.add_argument("--c")
    ap.add_argument("--sv")
    args = ap.parse_args()
    with open(args.spec) as f:
        spec = json.load(f)
    if args.c:
        with open(args.c, "w") as f:
            f.write(gen_c(spec))
    if args.sv:
        with open(args.sv, "w") as f:
            f.write(gen_sv(spec))
    return 0


if __name__ == "__main__":
    sys.exit(main())
