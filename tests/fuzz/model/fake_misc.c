/*
 * The rest of QEMU for the model harness: the clocks and timers (time
 * moves only when the input says so), the main loop's bottom halves (run
 * when time passes), a VM that always runs, the NIC's uplink (frames the
 * model sends are checked and counted, nothing is sent anywhere), and
 * logging (formatted, so bad format arguments are caught, then dropped
 * unless VFNIC_FUZZ_LOG is set).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "net/net.h"
#include "sysemu/runstate.h"
#include "fake_qemu.h"

FakeCounters fake_count;
int fake_sender = -1;
bool (*fake_uplink_check)(const uint8_t *buf, size_t len);

/* Guest errors reach qemu_log(): the model's error paths are fuzzed too. */
int qemu_loglevel = LOG_GUEST_ERROR;

void qemu_log(const char *fmt, ...)
{
    static int verbose = -1;
    char line[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    fake_count.log_lines++;
    if (verbose < 0) {
        verbose = !!getenv("VFNIC_FUZZ_LOG");
    }
    if (verbose) {
        fputs(line, stderr);
    }
}

/* The virtual clock and its timers: one list, fired in expiry order. */
#define FAKE_MAX_TIMERS 4

static int64_t clock_ns, snap_clock_ns;
static QEMUTimer *timers[FAKE_MAX_TIMERS];
static int64_t snap_expire[FAKE_MAX_TIMERS];

/*
 * One clock for the guest and the host. Each read of the host's clock
 * (the polling loop's) moves it on 5 us, as the loop's own work would, so
 * that its slices, the gaps it spins through and its turns end.
 */
#define FAKE_HOST_READ_NS 5000

int64_t qemu_clock_get_ns(QEMUClockType type)
{
    assert(type == QEMU_CLOCK_VIRTUAL || type == QEMU_CLOCK_REALTIME);
    if (type == QEMU_CLOCK_REALTIME) {
        clock_ns += FAKE_HOST_READ_NS;
    }
    return clock_ns;
}

int64_t fake_clock_ns(void)
{
    return clock_ns;
}

void timer_init_full(QEMUTimer *ts, QEMUTimerListGroup *timer_list_group,
                     QEMUClockType type, int scale, int attributes,
                     QEMUTimerCB *cb, void *opaque)
{
    unsigned i;

    assert(type == QEMU_CLOCK_VIRTUAL || type == QEMU_CLOCK_REALTIME);
    ts->expire_time = -1;
    ts->cb = cb;
    ts->opaque = opaque;
    ts->scale = scale;
    ts->attributes = attributes;
    for (i = 0; i < FAKE_MAX_TIMERS && timers[i]; i++) {
        continue;
    }
    assert(i < FAKE_MAX_TIMERS);
    timers[i] = ts;
}

/*
 * timer_free() is timer_del() and g_free(): the list forgets its timers
 * only in fake_misc_reset(), once the device that owned them is gone.
 */
void timer_del(QEMUTimer *ts)
{
    ts->expire_time = -1;
}

/* Bottom halves, kept until the device that made them deletes them. */
#define FAKE_MAX_BHS 2

struct QEMUBH {
    QEMUBHFunc *cb;
    void *opaque;
    bool scheduled;
};

static QEMUBH *bhs[FAKE_MAX_BHS];
static bool snap_scheduled[FAKE_MAX_BHS];

QEMUBH *qemu_bh_new_full(QEMUBHFunc *cb, void *opaque, const char *name,
                         MemReentrancyGuard *reentrancy_guard)
{
    unsigned i;

    for (i = 0; i < FAKE_MAX_BHS && bhs[i]; i++) {
        continue;
    }
    assert(i < FAKE_MAX_BHS);
    bhs[i] = g_new0(QEMUBH, 1);
    bhs[i]->cb = cb;
    bhs[i]->opaque = opaque;
    return bhs[i];
}

void qemu_bh_schedule(QEMUBH *bh)
{
    bh->scheduled = true;
}

void qemu_bh_cancel(QEMUBH *bh)
{
    bh->scheduled = false;
}

void qemu_bh_delete(QEMUBH *bh)
{
    unsigned i;

    for (i = 0; i < FAKE_MAX_BHS; i++) {
        if (bhs[i] == bh) {
            bhs[i] = NULL;
        }
    }
    g_free(bh);
}

/*
 * Up to rounds turns of the main loop, each running the bottom halves
 * scheduled before it; a device polling with the clock stopped would
 * reschedule forever. Returns how many ran.
 */
unsigned fake_run_bhs(unsigned rounds)
{
    unsigned ran = 0, i;

    while (rounds--) {
        bool due[FAKE_MAX_BHS];
        bool any = false;

        for (i = 0; i < FAKE_MAX_BHS; i++) {
            due[i] = bhs[i] && bhs[i]->scheduled;
            any |= due[i];
        }
        if (!any) {
            break;
        }
        for (i = 0; i < FAKE_MAX_BHS; i++) {
            if (due[i] && bhs[i]) {
                bhs[i]->scheduled = false;
                bhs[i]->cb(bhs[i]->opaque);
                ran++;
            }
        }
    }
    return ran;
}

bool runstate_is_running(void)
{
    return true;
}

/* The VM never stops, so no handler is ever called. */
VMChangeStateEntry *qemu_add_vm_change_state_handler(VMChangeStateHandler *cb,
                                                     void *opaque)
{
    return (VMChangeStateEntry *)opaque;
}

void qemu_del_vm_change_state_handler(VMChangeStateEntry *e)
{
}

void fake_misc_snapshot(void)
{
    unsigned i;

    snap_clock_ns = clock_ns;
    for (i = 0; i < FAKE_MAX_TIMERS; i++) {
        snap_expire[i] = timers[i] ? timers[i]->expire_time : -1;
    }
    for (i = 0; i < FAKE_MAX_BHS; i++) {
        snap_scheduled[i] = bhs[i] && bhs[i]->scheduled;
    }
}

void fake_misc_rewind(void)
{
    unsigned i;

    clock_ns = snap_clock_ns;
    for (i = 0; i < FAKE_MAX_TIMERS; i++) {
        if (timers[i]) {
            timers[i]->expire_time = snap_expire[i];
        }
    }
    for (i = 0; i < FAKE_MAX_BHS; i++) {
        if (bhs[i]) {
            bhs[i]->scheduled = snap_scheduled[i];
        }
    }
    fake_sender = -1;
    memset(&fake_count, 0, sizeof(fake_count));
}

void fake_misc_reset(void)
{
    memset(timers, 0, sizeof(timers));
    clock_ns = 0;
    fake_sender = -1;
    memset(&fake_count, 0, sizeof(fake_count));
}

void timer_mod(QEMUTimer *ts, int64_t expire_time)
{
    ts->expire_time = -1;
    timer_mod_anticipate(ts, expire_time);
}

void timer_mod_anticipate(QEMUTimer *ts, int64_t expire_time)
{
    int64_t ns = expire_time * ts->scale;
    unsigned i;

    for (i = 0; i < FAKE_MAX_TIMERS && timers[i] != ts; i++) {
        continue;
    }
    assert(i < FAKE_MAX_TIMERS);
    if (ts->expire_time < 0 || ns < ts->expire_time) {
        ts->expire_time = MAX(ns, 0);
    }
}

/*
 * Advance the clock as qtest's clock_step does: to each expiry in turn,
 * firing the timer there, then to the end; returns how many times count
 * fired. A device that keeps re-arming its timers in the past would hang
 * QEMU's main loop: abort on that.
 */
unsigned fake_clock_step(int64_t ns, const QEMUTimer *count)
{
    int64_t target = clock_ns + ns;
    unsigned fired = 0, counted = 0;

    for (;;) {
        QEMUTimer *next = NULL;
        unsigned i;

        for (i = 0; i < FAKE_MAX_TIMERS; i++) {
            if (timers[i] && timers[i]->expire_time >= 0 &&
                timers[i]->expire_time <= target &&
                (!next || timers[i]->expire_time < next->expire_time)) {
                next = timers[i];
            }
        }
        if (!next) {
            break;
        }
        assert(++fired < 100000);
        counted += next == count;
        clock_ns = MAX(clock_ns, next->expire_time);
        next->expire_time = -1;
        fake_sender = -1;
        next->cb(next->opaque);
    }
    clock_ns = MAX(clock_ns, target);   /* the host's reads may be past it */
    return counted;
}

/* The uplink: the NIC's one queue, its link, and what it sends. */
static NICState *nic;

NICState *qemu_new_nic(NetClientInfo *info, NICConf *conf, const char *model,
                       const char *name, MemReentrancyGuard *reentrancy_guard,
                       void *opaque)
{
    assert(!nic);
    nic = g_malloc0(info->size + sizeof(NetClientState));
    nic->ncs = (void *)nic + info->size;
    nic->conf = conf;
    nic->reentrancy_guard = reentrancy_guard;
    nic->opaque = opaque;
    nic->ncs[0].info = info;
    return nic;
}

void qemu_del_nic(NICState *n)
{
    assert(n == nic);
    g_free(nic);
    nic = NULL;
}

NICState *fake_nic(void)
{
    return nic;
}

NetClientState *qemu_get_queue(NICState *n)
{
    return &n->ncs[0];
}

void *qemu_get_nic_opaque(NetClientState *nc)
{
    assert(nc == &nic->ncs[0]);
    return nic->opaque;
}

void qemu_format_nic_info_str(NetClientState *nc, uint8_t macaddr[6])
{
}

void qemu_macaddr_default_if_unset(MACAddr *macaddr)
{
    static const MACAddr zero;

    if (!memcmp(macaddr, &zero, sizeof(zero))) {
        *macaddr = (MACAddr){ .a = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 } };
    }
}

ssize_t qemu_send_packet(NetClientState *nc, const uint8_t *buf, int size)
{
    assert(nc == &nic->ncs[0]);
    assert(size >= 0);
    /* the model sends only with the link up (vfnic_uplink_up) */
    assert(!nc->link_down);
    fake_count.uplink_frames++;
    if (fake_uplink_check && !fake_uplink_check(buf, size)) {
        abort();
    }
    return size;
}
