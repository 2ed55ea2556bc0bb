/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The machine a vfnic qtest runs in: q35, a pcie-root-port at 00:02.0 and
 * the vfnic PF at 01:00.0. Without firmware the test does what BIOS and OS
 * would: enable ECAM, number the bus, place BARs, enable VFs, set MSI-X.
 */
#ifndef VFNIC_ENV_H
#define VFNIC_ENV_H

#include "qtest_client.h"
#include "../../include/vfnic_hw.h"

#define ENV_PF_BAR0	0xc0000000ULL
#define ENV_PF_BAR3	0xc0100000ULL
#define ENV_VF_BAR0	0xc0200000ULL
#define ENV_VF_BAR3	0xc0300000ULL
#define ENV_MSI_ADDR	0x00080000ULL	/* RAM where MSI-X writes land */
#define ENV_SRIOV_CAP	0x160
#define ENV_PCIE_CAP	0xa0
#define ENV_MSIX_CAP	0x70
#define ENV_PF_BUS	1	/* the PF is 01:00.0 */

struct env {
	struct qtest *qt;
	uint64_t brk;		/* guest memory bump allocator */
};

/*
 * Boot the machine and enumerate it as firmware would; vfnic_opts is
 * appended to the vfnic -device options.
 */
int env_start(struct env *e, const char *vfnic_opts);
/* Only boot, with extra QEMU arguments (e.g. -incoming): no enumeration. */
int env_boot(struct env *e, const char *vfnic_opts, const char *extra);
void env_stop(struct env *e);

/* Where config register reg of bus:devfn is in memory (ECAM). */
uint64_t env_ecam(int bus, int devfn, int reg);
uint32_t env_cfg_read(struct env *e, int bus, int devfn, int reg, int size);
void env_cfg_write(struct env *e, int bus, int devfn, int reg, int size,
		   uint32_t val);
/* Write NumVFs and VF Enable; returns GLB_NUM_VFS as the device sees it. */
uint32_t env_enable_vfs(struct env *e, unsigned n);
void env_disable_vfs(struct env *e);

/* Registers: fn 0 is the PF, fn n + 1 is VF n (through the VF's BAR). */
uint32_t env_rd(struct env *e, unsigned fn, uint32_t off);
void env_wr(struct env *e, unsigned fn, uint32_t off, uint32_t val);
uint32_t env_pf_rd(struct env *e, uint32_t off);
/* A 64-bit PF register that may run while read: LO at off, HI at off + 4. */
uint64_t env_pf_rd64(struct env *e, uint32_t off);
void env_pf_wr(struct env *e, uint32_t off, uint32_t val);
uint64_t env_stat(struct env *e, unsigned fn, uint32_t stat);

/* MSI-X vector vec of fn writes its number into guest RAM; read/clear. */
void env_msix_setup(struct env *e, unsigned fn, unsigned vec);
int env_msix_fired(struct env *e, unsigned fn, unsigned vec);

uint64_t env_alloc(struct env *e, size_t len);
void env_set_mac(struct env *e, unsigned fn, const uint8_t mac[6]);

#define ENV_ETH_TEST	0x88b5	/* local experimental EtherType */
/* An Ethernet header: dst, src, EtherType type. */
void env_eth_hdr(uint8_t *f, const uint8_t dst[6], const uint8_t src[6],
		 uint16_t type);
/*
 * A test frame of len bytes: the header with ENV_ETH_TEST, then a payload
 * whose bytes differ from their neighbours, so that a copy shifted or
 * taken from the wrong buffer does not compare equal. Returns len.
 */
size_t env_frame(uint8_t *f, const uint8_t dst[6], const uint8_t src[6],
		 size_t len);

/* One queue pair with rings of len descriptors and 2 KiB rx buffers. */
struct env_qp {
	unsigned fn, q, len, rx_next, tx_next;
	uint64_t rx_ring, tx_ring, rx_bufs, tx_bufs;
};
void env_qp_setup(struct env *e, struct env_qp *qp, unsigned fn, unsigned q,
		  unsigned len);
/*
 * VFs 0 and 1 enabled, with MACs mac0 and mac1 and queue pair 0 of len
 * descriptors each: the pair a data-path test sends between. -1 if the
 * device did not enable two VFs.
 */
int env_vf_pair(struct env *e, const uint8_t mac0[6], struct env_qp *qp0,
		const uint8_t mac1[6], struct env_qp *qp1, unsigned len);
void env_tx(struct env *e, struct env_qp *qp, const void *frame,
	    size_t len, uint16_t cmd, uint16_t vlan);
/* The same without the doorbell: a burst is posted, then one TXQ_TAIL. */
void env_tx_post(struct env *e, struct env_qp *qp, const void *frame,
		 size_t len, uint16_t cmd, uint16_t vlan);
/* Next rx frame: its length (0 if none), status and vlan. */
size_t env_rx(struct env *e, struct env_qp *qp, void *buf, size_t size,
	      uint16_t *status, uint16_t *vlan);

#endif
