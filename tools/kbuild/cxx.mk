# SPDX-License-Identifier: GPL-2.0-only
#
# Kbuild rule for freestanding C++ objects in MultiOS modules.
#
# Included by every module's Kbuild file. It compiles foo.cpp into foo.o
# the way scripts/Makefile.build compiles foo.c:
#   - flags come from the kernel's own KBUILD_CPPFLAGS, KBUILD_CFLAGS and
#     KBUILD_CFLAGS_MODULE for the target architecture, so retpoline,
#     return thunks, SLS, -mgeneral-regs-only, -mcmodel, -mno-relax and
#     the ftrace and stack-protector settings carry over unchanged;
#   - flags that only mean something to a C compiler are removed;
#   - the C++ dialect and freestanding flags are added;
#   - the .cmd file is written by fixdep, exactly as for C, so modpost and
#     incremental rebuilds see the real command and header dependencies;
#   - objtool runs with the arguments Kbuild uses for objects of a module,
#     but once, on the linked module object (see below).
#
# C++ never sees kernel headers: the include path is the compiler's own
# freestanding headers, the project's C ABI (include/multios) and the
# C++ support library (support/include). See
# Documentation/dev/cxx-boundary.rst for why each flag is here.

MULTIOS_ROOT ?= $(abspath $(src)/../..)

MOS_CXX := $(CROSS_COMPILE)g++
ifneq ($(findstring ccache,$(CC)),)
MOS_CXX := ccache $(MOS_CXX)
endif

# Valid for C only; g++ warns about (or rejects) each of them.
mos_c_only_flags := -std=gnu11 -std=gnu89 -std=gnu99 \
	-Wstrict-prototypes -Werror=strict-prototypes \
	-Wdeclaration-after-statement -Wno-pointer-sign \
	-Werror=implicit-function-declaration -Werror=implicit-int \
	-Werror=incompatible-pointer-types -Werror=designated-init \
	-Wmissing-prototypes -Wold-style-definition -Wnested-externs \
	-Wno-override-init -Wno-old-style-declaration \
	-Wmissing-parameter-type -Wold-style-declaration \
	-Wimplicit-int -Wimplicit-function-declaration \
	-Wno-alloc-size-larger-than -Wno-dangling-pointer \
	-Wno-enum-int-mismatch -Wpointer-sign -Wabsolute-value

mos_cxx_lang_flags := -std=gnu++20 -fno-exceptions -fno-rtti \
	-fno-threadsafe-statics -fno-asynchronous-unwind-tables \
	-ffreestanding -nostdinc -nostdinc++ \
	-isystem $(shell $(CROSS_COMPILE)gcc -print-file-name=include) \
	-I$(MULTIOS_ROOT)/include -I$(MULTIOS_ROOT)/support/include \
	-Werror -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers

# Debian's aarch64 g++ outlines atomics by default (calls to
# __aarch64_ldadd8_acq_rel and friends, which the kernel does not have);
# the kernel's own C never uses compiler atomics, so 6.1 does not say so.
ifdef CONFIG_ARM64
mos_cxx_lang_flags += -mno-outline-atomics
endif

# Not traced by ftrace where the compiler records the call sites
# (-mrecord-mcount: x86 with gcc). gcc writes one __mcount_loc section per
# object, outside the COMDAT groups of inline functions and template
# instances, so when `ld -r` keeps one copy of such a function and
# discards the others, the discarded copies' entries are left pointing
# into nothing and the link fails ("defined in discarded section"). Any
# kernel with FUNCTION_TRACER, as every distribution's, hits it as soon as
# two objects share an out-of-line inline function. Kbuild builds the
# kernel's own untraceable files the same way (CFLAGS_REMOVE_foo.o =
# $(CC_FLAGS_FTRACE)). With -fpatchable-function-entry (arm64, riscv64)
# gcc 12 puts the records in the function's own group (checked with
# Debian's cross compilers; older gcc may not), and C++ stays traceable.
mos_no_ftrace_flags := $(if $(filter -mrecord-mcount,$(CC_FLAGS_FTRACE)),$(CC_FLAGS_FTRACE))

# cxxflags-y: a directory's flags for all its C++ objects, as ccflags-y
# is for C (multios_sched: its MOS_WARN_ON handler, see mos/bug.h);
# CXXFLAGS_foo.o for one object.
mos_cxx_flags = -Wp,-MMD,$(depfile) \
	$(filter-out $(mos_c_only_flags) $(mos_no_ftrace_flags), \
		$(KBUILD_CPPFLAGS) $(KBUILD_CFLAGS) $(KBUILD_CFLAGS_MODULE) $(CFLAGS_MODULE)) \
	$(mos_cxx_lang_flags) $(cxxflags-y) $(CXXFLAGS_$(target-stem).o)

quiet_cmd_cc_o_cpp = CXX $(quiet_modtag) $@
      cmd_cc_o_cpp = $(MOS_CXX) $(mos_cxx_flags) -c -o $@ $<

define rule_cc_o_cpp
	$(call cmd_and_fixdep,cc_o_cpp)
endef

# objtool on the linked module, not per object. Inline functions and
# template instances are emitted in every C++ object that uses them, in
# COMDAT groups; `ld -r` keeps one copy and discards the rest. Annotations
# objtool writes per object (.return_sites, .retpoline_sites, ORC entries)
# would still point into the discarded copies, and the link fails with
# "defined in discarded section". So objects are not checked one by one
# (a module whose Kbuild includes this file is all "non-standard" to
# Kbuild) and objtool runs on the linked multi-object module instead,
# exactly as Kbuild itself does for every module when IBT or LTO delays
# objtool to link time. Each module's Kbuild says, after obj-m:
#     $(call mos_objtool_on_link,multios_<name>)
# (delay-objtool adds --link, which objtool wants for a linked object), and
# tools/kbuild/check-module.sh fails an x86_64 module without ORC data, so
# a module that forgets is caught.
OBJECT_FILES_NON_STANDARD := y

define mos_objtool_rules
$(obj)/$(1).o: override objtool-enabled := y
$(obj)/$(1).o: override delay-objtool := y
endef
mos_objtool_on_link = $(eval $(call mos_objtool_rules,$(1)))

$(obj)/%.o: $(src)/%.cpp FORCE
	$(call if_changed_rule,cc_o_cpp)

# The C++ runtime (sized operator delete for deleting destructors,
# __cxa_pure_virtual): one source, compiled into each module that lists
# mos_cxxrt.o, so no module depends on another for it.
$(obj)/mos_cxxrt.o: $(MULTIOS_ROOT)/support/src/cxxrt.cpp FORCE
	$(call if_changed_rule,cc_o_cpp)

# The support library's test bodies (support/tests/ktest/*.cpp), written
# once and run both by GoogleTest on the host and by KUnit in a module.
mos_support_ktest_objs := $(patsubst %.cpp,mos_kt_%.o, \
	$(notdir $(wildcard $(MULTIOS_ROOT)/support/tests/ktest/*.cpp)))

$(obj)/mos_kt_%.o: $(MULTIOS_ROOT)/support/tests/ktest/%.cpp FORCE
	$(call if_changed_rule,cc_o_cpp)
