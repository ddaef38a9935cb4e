/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Logging: mos::log::err/warn/notice/info/debug, printf-style, checked by
 * the compiler against the format (the subset mos_log() documents). The
 * kernel side adds the module prefix and decides what reaches dmesg.
 * MOS_WARN_ON / MOS_BUG_ON come with it (bug.h).
 */
#ifndef MOS_LOG_H
#define MOS_LOG_H

#include <stdarg.h>
#include <multios/runtime.h>
#include <mos/bug.h>

#define MOS_PRINTF_FORMAT(fmt_index, first_arg) \
	__attribute__((format(printf, fmt_index, first_arg)))

namespace mos::log {

#define MOS_DEFINE_LOG_LEVEL(name, level)                                  \
	MOS_PRINTF_FORMAT(1, 2) inline void name(const char *fmt, ...)     \
	{                                                                  \
		va_list ap;                                                \
		va_start(ap, fmt);                                         \
		mos_vlog(level, fmt, ap);                                  \
		va_end(ap);                                                \
	}

MOS_DEFINE_LOG_LEVEL(err, MOS_LOG_ERR)
MOS_DEFINE_LOG_LEVEL(warn, MOS_LOG_WARNING)
MOS_DEFINE_LOG_LEVEL(notice, MOS_LOG_NOTICE)
MOS_DEFINE_LOG_LEVEL(info, MOS_LOG_INFO)
MOS_DEFINE_LOG_LEVEL(debug, MOS_LOG_DEBUG)

#undef MOS_DEFINE_LOG_LEVEL

} // namespace mos::log

#endif /* MOS_LOG_H */
