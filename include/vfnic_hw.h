/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-3-Clause) */
/*
 * vfnic hardware interface: PCI IDs, BAR layout, registers, descriptors.
 *
 * This is docs/hardware.md in C. It is included unchanged by the QEMU model
 * (qemu-model/), the PF kernel driver (pf_driver/), the DPDK VF driver
 * (vf_driver/), the mailbox transport (mailbox/) and the tests, so it uses
 * only the C preprocessor and no types: every register is 32 bits wide,
 * little-endian, and every offset is in bytes.
 */
#ifndef VFNIC_HW_H
#define VFNIC_HW_H

/* PCI identity. 1af4:10f0-10ff is reserved for experimental devices. */
#define VFNIC_PCI_VENDOR_ID		0x1af4
#define VFNIC_PCI_DEVICE_ID_PF		0x10f0
#define VFNIC_PCI_DEVICE_ID_VF		0x10f1
#define VFNIC_PCI_REVISION		0x01

#define VFNIC_MAX_VFS			64
#define VFNIC_PF_MAX_QP			8	/* queue pairs of the PF */
#define VFNIC_VF_MAX_QP			4	/* queue pairs of each VF */
#define VFNIC_MAX_QP			8	/* any function */
#define VFNIC_NUM_FN			(VFNIC_MAX_VFS + 1)
#define VFNIC_FN_PF			0
#define VFNIC_VF_TO_FN(vf)		((vf) + 1)

/* MSI-X vector 0 is the "misc" vector; vector 1 + q serves queue pair q. */
#define VFNIC_MSIX_MISC			0
#define VFNIC_PF_MSIX_VECTORS		(1 + VFNIC_PF_MAX_QP)
#define VFNIC_VF_MSIX_VECTORS		(1 + VFNIC_VF_MAX_QP)

/* BARs (all 64-bit memory, non-prefetchable): BAR0 registers, BAR3 MSI-X. */
#define VFNIC_BAR_REGS			0
#define VFNIC_BAR_MSIX			3
#define VFNIC_PF_BAR0_SIZE		0x100000	/* 1 MiB */
#define VFNIC_VF_BAR0_SIZE		0x4000		/* = one function block */
#define VFNIC_MSIX_BAR_SIZE		0x4000
#define VFNIC_MSIX_TABLE_OFF		0x0000
#define VFNIC_MSIX_PBA_OFF		0x2000

/* SR-IOV routing: VF n is function (PF + 1 + n), ARI required beyond 7. */
#define VFNIC_VF_OFFSET			1
#define VFNIC_VF_STRIDE			1

/*
 * Function block: the same 16 KiB register block exists for every function.
 * The PF sees its own at BAR0 + 0; VF n sees block VFNIC_VF_TO_FN(n) at its
 * BAR0 + 0.
 */
#define VFNIC_FN_BLOCK_SIZE		0x4000

#define VFNIC_FN_ID			0x0000	/* RO */
#define   VFNIC_FN_ID_FN_MASK		0x000000ff	/* function number */
#define   VFNIC_FN_ID_IS_VF		0x80000000
#define VFNIC_FN_CAPS			0x0004	/* RO */
#define   VFNIC_FN_CAPS_QP_SHIFT	0	/* bits 7:0 queue pairs granted */
#define   VFNIC_FN_CAPS_QP_MASK		0x000000ff
#define   VFNIC_FN_CAPS_VEC_SHIFT	8	/* bits 15:8 MSI-X vectors */
#define   VFNIC_FN_CAPS_VEC_MASK	0x0000ff00
#define   VFNIC_FN_CAPS_RSS		0x00010000
#define   VFNIC_FN_CAPS_VLAN		0x00020000
#define   VFNIC_FN_CAPS_CSUM		0x00040000
#define   VFNIC_FN_CAPS_RX_SHADOW	0x00080000	/* FN_RX_TAIL_SHADOW */
#define   VFNIC_FN_CAPS_TX_SHADOW	0x00100000	/* FN_TX_TAIL_SHADOW */
#define VFNIC_FN_CTRL			0x0008
#define   VFNIC_FN_CTRL_RST		0x00000001	/* PF only: device reset */
#define VFNIC_FN_STATUS			0x000c	/* RO */
#define   VFNIC_FN_STATUS_LINK_UP	0x00000001
#define   VFNIC_FN_STATUS_SPEED_SHIFT	16	/* bits 31:16 Mbit/s / 10 */
#define VFNIC_FN_MAC_LO			0x0010	/* PF: RW, VF: RO (admin MAC) */
#define VFNIC_FN_MAC_HI			0x0014
#define VFNIC_FN_MAX_FRAME		0x0018	/* PF: RW, VF: RO */
#define VFNIC_FN_ICR			0x0020	/* interrupt cause, W1C */
#define VFNIC_FN_IMS			0x0024	/* mask set (enable), RW */
#define VFNIC_FN_IMC			0x0028	/* mask clear, WO */
#define   VFNIC_INT_MBX			0x00000001	/* mailbox */
#define   VFNIC_INT_LINK		0x00000002	/* link change */
#define   VFNIC_INT_VFLR		0x00000004	/* PF only: a VF was reset */
#define   VFNIC_INT_RESET		0x00000008	/* VF only: PF ready dropped */
#define VFNIC_FN_RX_FILTER		0x0030	/* PF: RW, VF: RO (admin) */
#define   VFNIC_RX_FILTER_PROMISC	0x00000001
#define   VFNIC_RX_FILTER_ALLMULTI	0x00000002
#define VFNIC_FN_VLAN_STRIP		0x0034	/* RW: strip rx VLAN tag */
/*
 * Rx tails in memory: the DMA address of VFNIC_MAX_QP little-endian u32
 * rx tails, one per queue pair, which the device reads when it runs out
 * of rx descriptors. A driver that polls then never writes RXQ_TAIL.
 */
#define VFNIC_FN_RX_TAIL_SHADOW_LO	0x0040
#define VFNIC_FN_RX_TAIL_SHADOW_HI	0x0044
#define   VFNIC_RX_SHADOW_ENABLE	0x00000001	/* in _LO */
#define   VFNIC_RX_SHADOW_ALIGN		64
/*
 * Tx tails in memory: the DMA address of a 64-byte block holding
 * VFNIC_MAX_QP little-endian u32 tx tails the driver writes, then one
 * doorbell-wanted word per queue pair that the device writes: 0 while it
 * polls the tails, nonzero when the driver must also write TXQ_TAIL.
 */
#define VFNIC_FN_TX_TAIL_SHADOW_LO	0x0048
#define VFNIC_FN_TX_TAIL_SHADOW_HI	0x004c
#define   VFNIC_TX_SHADOW_ENABLE	0x00000001	/* in _LO */
#define   VFNIC_TX_SHADOW_ALIGN		64
#define   VFNIC_TX_SHADOW_TAIL(q)	((q) * 4)
#define   VFNIC_TX_SHADOW_WANTED(q)	(32 + (q) * 4)
#define   VFNIC_TX_SHADOW_SIZE		64

/* Mailbox, in the VF's function block and in the PF's view of each VF. */
#define VFNIC_MBX_CTRL			0x0800
#define   VFNIC_MBX_REQ			0x00000001
#define   VFNIC_MBX_PFMSG		0x00000002
#define   VFNIC_MBX_PF_READY		0x00000004
#define VFNIC_MBX_VF2PF			0x0900	/* VF writes, PF reads */
#define VFNIC_MBX_PF2VF			0x0a00	/* PF writes, VF reads */
#define VFNIC_MBX_BUF_SIZE		256

/* Queue pair q registers at VFNIC_QP_BASE + q * VFNIC_QP_STRIDE. */
#define VFNIC_QP_BASE			0x1000
#define VFNIC_QP_STRIDE			0x40
#define VFNIC_QP_REG(q, r)		(VFNIC_QP_BASE + (q) * VFNIC_QP_STRIDE + (r))
#define VFNIC_RXQ_BASE_LO		0x00
#define VFNIC_RXQ_BASE_HI		0x04
#define VFNIC_RXQ_LEN			0x08	/* descriptors, power of 2 */
#define VFNIC_RXQ_HEAD			0x0c	/* RO: next the device fills */
#define VFNIC_RXQ_TAIL			0x10	/* doorbell */
#define VFNIC_RXQ_CTRL			0x14
#define VFNIC_RXQ_BUF_SIZE		0x18	/* bytes per rx buffer */
#define VFNIC_TXQ_BASE_LO		0x20
#define VFNIC_TXQ_BASE_HI		0x24
#define VFNIC_TXQ_LEN			0x28
#define VFNIC_TXQ_HEAD			0x2c	/* RO: next the device reads */
#define VFNIC_TXQ_TAIL			0x30	/* doorbell */
#define VFNIC_TXQ_CTRL			0x34
#define   VFNIC_Q_CTRL_ENABLE		0x00000001
#define   VFNIC_Q_CTRL_ERROR		0x80000000	/* RO: stopped by a fault */
#define VFNIC_QP_INT			0x38
#define   VFNIC_QP_INT_ENABLE		0x80000000	/* bits 7:0 vector */
#define VFNIC_Q_LEN_MIN			32
#define VFNIC_Q_LEN_MAX			4096
#define VFNIC_RX_BUF_MIN		256
#define VFNIC_RX_BUF_MAX		16384

/* RSS */
#define VFNIC_RSS_CTRL			0x2000
#define   VFNIC_RSS_IPV4		0x00000001
#define   VFNIC_RSS_TCP4		0x00000002
#define   VFNIC_RSS_UDP4		0x00000004
#define   VFNIC_RSS_IPV6		0x00000008
#define   VFNIC_RSS_TCP6		0x00000010
#define   VFNIC_RSS_UDP6		0x00000020
#define VFNIC_RSS_KEY			0x2040	/* 40 bytes */
#define VFNIC_RSS_KEY_SIZE		40
#define VFNIC_RSS_RETA			0x2100	/* one byte per entry */
#define VFNIC_RSS_RETA_SIZE		128

/* Counters: 64-bit, LO at the offset and HI at +4, RO, cleared by reset. */
#define VFNIC_STATS			0x3000
#define VFNIC_STAT_RX_PKTS		0x00
#define VFNIC_STAT_RX_BYTES		0x08
#define VFNIC_STAT_TX_PKTS		0x10
#define VFNIC_STAT_TX_BYTES		0x18
#define VFNIC_STAT_RX_DROP		0x20	/* no rx descriptor */
#define VFNIC_STAT_TX_SPOOF		0x28	/* anti-spoof drops */
#define VFNIC_STAT_TX_ERR		0x30	/* bad descriptor or DMA */
#define VFNIC_STAT_RX_ERR		0x38
#define VFNIC_STAT_RX_BCAST		0x40
#define VFNIC_STAT_RX_MCAST		0x48
#define VFNIC_STAT_TX_BCAST		0x50
#define VFNIC_STAT_TX_MCAST		0x58
#define VFNIC_STAT_TX_DROP		0x60	/* link down, VF disabled */
#define VFNIC_STAT_COUNT		13
#define VFNIC_QSTATS			0x3100	/* per queue pair q: */
#define VFNIC_QSTAT_STRIDE		0x20
#define VFNIC_QSTAT_RX_PKTS		0x00
#define VFNIC_QSTAT_RX_BYTES		0x08
#define VFNIC_QSTAT_TX_PKTS		0x10
#define VFNIC_QSTAT_TX_BYTES		0x18

/* PF BAR0 beyond its own function block: device-global registers. */
#define VFNIC_GLB_VERSION		0x4000	/* RO: major << 16 | minor */
#define   VFNIC_VERSION			0x00010000
#define VFNIC_GLB_TOTAL_VFS		0x4004	/* RO */
#define VFNIC_GLB_NUM_VFS		0x4008	/* RO: VFs enabled now */
#define VFNIC_GLB_MBX_REQ_LO		0x4010	/* W1C: VFs with a request */
#define VFNIC_GLB_MBX_REQ_HI		0x4014
#define VFNIC_GLB_MBX_ACK_LO		0x4018	/* W1C: VFs that took a msg */
#define VFNIC_GLB_MBX_ACK_HI		0x401c
#define VFNIC_GLB_VFLR_LO		0x4020	/* W1C: VFs reset by FLR */
#define VFNIC_GLB_VFLR_HI		0x4024
#define VFNIC_GLB_UPLINK		0x4030	/* RO: bit 0 uplink carrier */
#define VFNIC_GLB_SWITCH		0x4040
#define   VFNIC_SWITCH_VEB		0x00000001	/* local forwarding */
#define VFNIC_GLB_STATS			0x4100	/* uplink counters, 64-bit */
#define VFNIC_GSTAT_UPLINK_RX		0x00
#define VFNIC_GSTAT_UPLINK_TX		0x08
#define VFNIC_GSTAT_NO_DEST		0x10	/* frames no port took */

/*
 * Traffic generator: frames offered to the switch as if they came in from
 * the uplink, at the rate the device runs (hardware.md section 10.1).
 */
#define VFNIC_GLB_TGEN_CTRL		0x4200
#define   VFNIC_TGEN_ENABLE		0x00000001
#define VFNIC_GLB_TGEN_LEN		0x4204	/* bytes without FCS */
#define VFNIC_GLB_TGEN_DST_LO		0x4208	/* bytes 0-3 of the dst MAC */
#define VFNIC_GLB_TGEN_DST_HI		0x420c	/* bytes 4-5 */
#define VFNIC_GLB_TGEN_COUNT_LO		0x4210	/* frames to send, 0: no end */
#define VFNIC_GLB_TGEN_COUNT_HI		0x4214
#define VFNIC_GLB_TGEN_SENT_LO		0x4218	/* RO: frames offered */
#define VFNIC_GLB_TGEN_SENT_HI		0x421c
#define VFNIC_TGEN_LEN_MIN		60
#define VFNIC_TGEN_LEN_MAX		1514
#define VFNIC_TGEN_ETHERTYPE		0x88b5	/* IEEE local experimental */
/* 02:76:66:6e:69:63, "vfnic" after a locally administered 0x02 */
#define VFNIC_TGEN_SRC_MAC		{ 0x02, 0x76, 0x66, 0x6e, 0x69, 0x63 }

/*
 * Admin blocks: one per function at VFNIC_ADM_BASE + fn * VFNIC_ADM_STRIDE
 * in PF BAR0, written by the PF driver; the device enforces them.
 */
#define VFNIC_ADM_BASE			0x10000
#define VFNIC_ADM_STRIDE		0x1000
#define VFNIC_ADM(fn, r)		(VFNIC_ADM_BASE + (fn) * VFNIC_ADM_STRIDE + (r))
#define VFNIC_ADM_MAC_LO		0x000	/* bytes 0-3 of the MAC */
#define VFNIC_ADM_MAC_HI		0x004	/* bytes 4-5, bit 31 VALID */
#define   VFNIC_MAC_VALID		0x80000000
#define VFNIC_ADM_VLAN			0x008	/* port VLAN */
#define   VFNIC_VLAN_VID_MASK		0x00000fff
#define   VFNIC_VLAN_PCP_SHIFT		12
#define   VFNIC_VLAN_PCP_MASK		0x00007000
#define   VFNIC_VLAN_QINQ		0x00010000	/* TPID 0x88a8 */
#define   VFNIC_VLAN_ENABLE		0x80000000
#define VFNIC_ADM_POLICY		0x00c
#define   VFNIC_POL_SPOOFCHK		0x00000001
#define   VFNIC_POL_TRUST		0x00000002
#define   VFNIC_POL_PROMISC		0x00000004
#define   VFNIC_POL_ALLMULTI		0x00000008
#define   VFNIC_POL_LINK_SHIFT		8
#define   VFNIC_POL_LINK_MASK		0x00000300
#define   VFNIC_LINK_AUTO		0
#define   VFNIC_LINK_ENABLE		1
#define   VFNIC_LINK_DISABLE		2
#define   VFNIC_POL_DISABLED		0x00010000	/* VF shut off by PF */
#define VFNIC_ADM_TX_RATE		0x010	/* Mbit/s, 0 = unlimited */
#define VFNIC_ADM_MAX_FRAME		0x014
#define VFNIC_ADM_NUM_QP		0x018	/* queue pairs granted */
#define VFNIC_ADM_CTRL			0x01c	/* WO */
#define   VFNIC_ADM_CTRL_QRESET		0x00000001	/* stop + clear VF rings */
#define VFNIC_ADM_MAC_FILTER		0x100	/* 16 entries of LO, HI */
#define VFNIC_ADM_MAC_FILTERS		16
#define VFNIC_ADM_VLAN_FILTER		0x200	/* 4096-bit bitmap */
#define VFNIC_ADM_STATS			0x400	/* RO copy of the counters */
/* The PF's view of VF n's mailbox: VFNIC_ADM(VF_TO_FN(n), VFNIC_MBX_*). */

/* Descriptors: 16 bytes, little-endian. */
#define VFNIC_DESC_SIZE			16
/* tx: addr[0:8] len[8:10] vlan[10:12] cmd[12:14] status[14:16] */
#define VFNIC_TXD_ADDR			0
#define VFNIC_TXD_LEN			8
#define VFNIC_TXD_VLAN			10
#define VFNIC_TXD_CMD			12
#define   VFNIC_TXD_CMD_EOP		0x0001
#define   VFNIC_TXD_CMD_VLAN		0x0002	/* insert vlan field */
#define   VFNIC_TXD_CMD_CSUM		0x0004	/* IPv4 + L4 checksums */
#define VFNIC_TXD_STATUS		14
#define   VFNIC_TXD_STA_DD		0x0001
#define   VFNIC_TXD_STA_ERR		0x0002
/* rx read: addr[0:8]; write-back: rss[0:4] len[8:10] vlan[10:12] status[12:14] */
#define VFNIC_RXD_ADDR			0
#define VFNIC_RXD_RSS			0
#define VFNIC_RXD_LEN			8
#define VFNIC_RXD_VLAN			10
#define VFNIC_RXD_STATUS		12
#define   VFNIC_RXD_STA_DD		0x0001
#define   VFNIC_RXD_STA_EOP		0x0002
#define   VFNIC_RXD_STA_VLAN		0x0004	/* tag stripped into vlan */
#define   VFNIC_RXD_STA_RSS		0x0008	/* rss field valid */
#define   VFNIC_RXD_STA_L4CSUM_OK	0x0010
#define   VFNIC_RXD_STA_CSUM_BAD	0x0020

#endif /* VFNIC_HW_H */
