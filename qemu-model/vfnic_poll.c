/*
 * vfnic: tx tails in memory, and the device polling them.
 *
 * A doorbell is an MMIO write. Under TCG every MMIO write takes the BQL
 * and runs the device in the writer's vCPU thread, so a driver that rings
 * one per burst spends its time doing the device's work and, once two
 * vCPUs ring, waiting for the lock. With FN_TX_TAIL_SHADOW a driver keeps
 * its tx tails in memory instead (hardware.md section 5), and the device
 * polls them from the main loop, in slices (a bottom half, then a timer
 * for each next turn of slices) for as long as it finds work and poll-us
 * after that. Then it asks for doorbells again through the
 * doorbell-wanted words beside the tails, looks once more so that no tail
 * written meanwhile is missed, and sleeps until the next doorbell:
 * virtio's notification suppression, with the device's loop in place of a
 * vhost thread.
 *
 * Each slice is one device entry under the BQL, like a doorbell: the DMA
 * windows are checked again in every slice (vfnic_dma.c), and each pass of
 * a slice serves every polled ring once, each at most up to the tail it
 * read, so no function can hold the loop for the others. Between the
 * slices of a turn the BQL is free, and anything may have changed when it
 * is taken back: a stop (vfnic_poll_stop(), also on unplug and VM start)
 * or a VM stop ends the turn.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "sysemu/runstate.h"
#include "vfnic.h"
#include "trace.h"

static dma_addr_t vfnic_tx_shadow_base(const VfnicFn *f)
{
    return f->tx_shadow & ~(uint64_t)(VFNIC_TX_SHADOW_ALIGN - 1);
}

/* Tell the driver of (fn, q) whether to ring TXQ_TAIL after a tail. */
static bool vfnic_poll_want(VfnicState *s, unsigned fn, unsigned q,
                            bool wanted)
{
    VfnicFn *f = &s->fn[fn];
    uint32_t val = cpu_to_le32(wanted);
    dma_addr_t addr = vfnic_tx_shadow_base(f) + VFNIC_TX_SHADOW_WANTED(q);

    if (vfnic_dma_write(s, vfnic_fn_dev(s, fn), addr, &val, 4) != MEMTX_OK) {
        vfnic_tx_fault(s, fn, q, "tx doorbell-wanted word", addr);
        return false;
    }
    f->qp[q].tx_polled = !wanted;
    return true;
}

/*
 * Take the tail of (fn, q) from memory and transmit up to it. With
 * claim, first tell the driver that no doorbell is needed. True when the
 * ring moved.
 */
static bool vfnic_poll_ring(VfnicState *s, unsigned fn, unsigned q,
                            bool claim)
{
    VfnicFn *f = &s->fn[fn];
    VfnicRing *r = &f->qp[q].tx;
    dma_addr_t addr = vfnic_tx_shadow_base(f) + VFNIC_TX_SHADOW_TAIL(q);
    uint32_t head = r->head, tail;

    if (claim && !f->qp[q].tx_polled && !vfnic_poll_want(s, fn, q, false)) {
        return false;
    }
    smp_mb(); /* a claim before the tail read: pairs with the driver's */
    if (vfnic_dma_read(s, vfnic_fn_dev(s, fn), addr, &tail, 4) != MEMTX_OK) {
        vfnic_tx_fault(s, fn, q, "tx tail shadow", addr);
        return false;
    }
    tail = le32_to_cpu(tail);
    if (tail >= r->len) {
        qemu_log_mask(LOG_GUEST_ERROR, "vfnic: fn %u queue %u: tx tail %u "
                      "in memory outside ring of %u\n", fn, q, tail, r->len);
        return false;
    }
    r->tail = tail;
    if (head != tail) {
        vfnic_tx_ring(s, fn, q);
    }
    return r->head != head;
}

/* One pass over every ring polled; true when any of them moved. */
static bool vfnic_poll_pass(VfnicState *s, bool claim)
{
    unsigned fn, q, n = vfnic_num_fn(s);
    bool moved = false;

    for (fn = 0; fn < n; fn++) {
        VfnicFn *f = &s->fn[fn];

        if (!(f->tx_shadow & VFNIC_TX_SHADOW_ENABLE) || !vfnic_fn_dev(s, fn)) {
            continue;
        }
        for (q = 0; q < f->num_qp; q++) {
            if (f->qp[q].tx.ctrl & VFNIC_Q_CTRL_ENABLE) {
                moved |= vfnic_poll_ring(s, fn, q, claim);
            }
        }
    }
    return moved;
}

/* Ask every driver told not to ring to ring again. */
static void vfnic_poll_release(VfnicState *s)
{
    unsigned fn, q, n = vfnic_num_fn(s);

    for (fn = 0; fn < n; fn++) {
        VfnicFn *f = &s->fn[fn];
        bool on = (f->tx_shadow & VFNIC_TX_SHADOW_ENABLE) &&
                  vfnic_fn_dev(s, fn);

        for (q = 0; q < VFNIC_MAX_QP; q++) {
            if (f->qp[q].tx_polled && on) {
                vfnic_poll_want(s, fn, q, true);
            }
            f->qp[q].tx_polled = false;
        }
    }
}

/*
 * A turn of the main loop costs an eventfd write and a ppoll(), more than
 * a pass finding a burst: one call makes passes for a slice of this long
 * (or this many), holding the BQL. The slice is one device entry.
 */
#define VFNIC_POLL_SLICE_NS     (50 * SCALE_US)
#define VFNIC_POLL_SLICE_PASSES 64
/*
 * Between slices the device lets go of the BQL this long. A bottom half
 * rescheduled at once would take the lock back before a vCPU waiting for
 * it (to reach any device, or take an interrupt) is woken: pthread
 * mutexes are not fair, and a guest kept the device busy enough to stall
 * its own other vCPUs' MMIO for minutes.
 */
#define VFNIC_POLL_GAP_NS       (10 * SCALE_US)
/*
 * How long one timer call goes on making slices before it gives the main
 * loop back (a turn). The gaps between them are spent in this thread, not
 * in a ppoll() on a timer: arming a 10 us timer, sleeping and waking cost
 * this host several times the gap itself, and a generator asleep that
 * long lets a small rx ring run dry. The main loop's own work (consoles,
 * 9p) waits for a turn, about this long.
 */
#define VFNIC_POLL_TURN_NS      (1000 * SCALE_US)

/*
 * One slice: passes until nothing moves or the slice is used up. Returns
 * false when the device goes idle (no generator, nothing to poll).
 */
static bool vfnic_poll_slice(VfnicState *s, int64_t *now)
{
    int64_t start = *now;
    unsigned passes = 0;
    bool idle = false;

    s->in_dma++;
    do {
        bool moved = vfnic_tgen_pass(s);

        moved |= vfnic_poll_pass(s, true);
        vfnic_rx_flush(s);
        *now = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
        if (!moved && vfnic_tgen_on(s)) {
            break;      /* the generator keeps polling on, after a gap */
        }
        if (!moved && *now >= s->poll_until) {
            vfnic_poll_release(s);
            /* a tail written before its driver saw the request is sent */
            moved = vfnic_poll_pass(s, false);
            vfnic_rx_flush(s);
            idle = !moved;
        }
        if (moved) {
            s->poll_until = *now + s->poll_us * SCALE_US;
        }
    } while (!idle && *now - start < VFNIC_POLL_SLICE_NS &&
             ++passes < VFNIC_POLL_SLICE_PASSES);
    vfnic_dma_end(s);
    s->in_dma--;
    return !idle;
}

/*
 * Slices, with the BQL let go between them, for a turn when turn is set.
 * Only the timer makes turns: the bottom half holds the device's
 * re-entrancy guard while it runs (a vCPU's access to the PF in a gap
 * would be refused), and a nested aio_poll() may run it inside a section
 * whose caller counts on the BQL staying held.
 */
static void vfnic_poll_run(VfnicState *s, bool turn)
{
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    int64_t turn_end = now + VFNIC_POLL_TURN_NS, gap_end;
    uint32_t gen = s->poll_gen;
    bool stopped;

    /*
     * A bottom half runs in any aio_poll(), also a nested one: a device
     * that an entry's DMA reached may drain its block backend inside that
     * entry. The guard only marks the bottom half, so a slice here would
     * share the entry's rx caches and tx buffer: come back after it.
     */
    if (s->in_dma) {
        timer_mod(s->poll_timer, now + VFNIC_POLL_GAP_NS);
        return;
    }
    for (;;) {
        if (!runstate_is_running()) {
            /* no DMA while stopped; vfnic_poll_vm_state() resumes */
            s->polling = false;
            return;
        }
        if (!vfnic_poll_slice(s, &now)) {
            trace_vfnic_poll(false);
            s->polling = false;
            return;
        }
        if (!turn || now >= turn_end) {
            break;
        }
        /* a vCPU may unplug the device while the lock is free */
        object_ref(OBJECT(s));
        gap_end = now + VFNIC_POLL_GAP_NS;
        qemu_mutex_unlock_iothread();
        while (qemu_clock_get_ns(QEMU_CLOCK_REALTIME) < gap_end) {
            cpu_relax();
        }
        qemu_mutex_lock_iothread();
        stopped = s->poll_gen != gen;
        object_unref(OBJECT(s));
        if (stopped) {
            return;     /* stopped, and maybe started again, meanwhile */
        }
        now = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    }
    timer_mod(s->poll_timer, now + VFNIC_POLL_GAP_NS);
}

static void vfnic_poll_bh(void *opaque)
{
    vfnic_poll_run(opaque, false);
}

static void vfnic_poll_tick(void *opaque)
{
    vfnic_poll_run(opaque, true);
}

void vfnic_poll_start(VfnicState *s)
{
    /* the generator runs in this loop, whatever poll-us says */
    if (s->polling || (!s->poll_us && !vfnic_tgen_on(s))) {
        return;
    }
    trace_vfnic_poll(true);
    s->polling = true;
    s->poll_until = qemu_clock_get_ns(QEMU_CLOCK_REALTIME) +
                    s->poll_us * SCALE_US;
    qemu_bh_schedule(s->poll_bh);
}

/*
 * A doorbell-wanted word the device cleared stays clear while the VM is
 * stopped, and on a migration's destination the device does not know it
 * did: polling again whenever the VM runs sets every such word again.
 */
static void vfnic_poll_vm_state(void *opaque, bool running, RunState state)
{
    VfnicState *s = opaque;
    bool any = false;
    unsigned fn, q;

    if (!running) {
        return;
    }
    for (fn = 0; fn < VFNIC_NUM_FN; fn++) {
        bool on = s->fn[fn].tx_shadow & VFNIC_TX_SHADOW_ENABLE;

        for (q = 0; q < VFNIC_MAX_QP; q++) {
            s->fn[fn].qp[q].tx_polled |= on;
        }
        any |= on;
    }
    vfnic_poll_stop(s);         /* and a turn caught in its gap ends */
    if (any || vfnic_tgen_on(s)) {
        vfnic_poll_start(s);
    }
}

void vfnic_poll_init(VfnicState *s)
{
    s->poll_bh = qemu_bh_new_guarded(vfnic_poll_bh, s,
                                     &DEVICE(s)->mem_reentrancy_guard);
    s->poll_timer = timer_new_ns(QEMU_CLOCK_REALTIME, vfnic_poll_tick, s);
    s->poll_vmse = qemu_add_vm_change_state_handler(vfnic_poll_vm_state, s);
}

void vfnic_poll_fini(VfnicState *s)
{
    vfnic_poll_stop(s);
    qemu_del_vm_change_state_handler(s->poll_vmse);
    timer_free(s->poll_timer);
    qemu_bh_delete(s->poll_bh);
}

void vfnic_poll_stop(VfnicState *s)
{
    s->poll_gen++;
    qemu_bh_cancel(s->poll_bh);
    timer_del(s->poll_timer);
    s->polling = false;
}
