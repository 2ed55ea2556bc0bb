// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfnic_pf: debugfs, the device's test hooks (as netdevsim and ice keep
 * theirs). /sys/kernel/debug/vfnic_pf/<pci name>/tgen/ drives the traffic
 * generator (docs/hardware.md section 10.1), which stands in for a tester
 * on the uplink's cable:
 *
 *   dst     destination MAC, xx:xx:xx:xx:xx:xx
 *   len     frame length without FCS, 60-1514
 *   count   frames to send, 0: until stopped
 *   enable  1 starts (SENT from 0), 0 stops; reads the live ENABLE bit,
 *           which the device clears after count frames
 *   sent    read-only, frames offered since the last start
 *
 * vf_mac_filters lists the valid MAC filters of each VF's admin block,
 * "vf N xx:xx:xx:xx:xx:xx" a line: the addresses the device delivers to
 * and lets a VF send from besides its own MAC (ADD_MAC, trust and the
 * administrator's MAC decide which). vf_vlan_filters lists the VLAN IDs
 * in each VF's VLAN filter, "vf N VID" a line.
 *
 * Every read comes from the device, so it shows what a PF reset left.
 * dst, len and count are refused (-EBUSY) while the generator runs: dst and
 * count take two register writes each, and a running generator would send
 * with half of the new value. Writes hold rtnl_lock, which the PF reset
 * (vfnic_pf_reset()) holds while it resets the device. debugfs is optional:
 * its functions accept the error pointers they return, and the driver runs
 * the same without it.
 */
#include <linux/debugfs.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>

#include "vfnic_pf.h"

#define VFNIC_MAC_STR_LEN	17	/* xx:xx:xx:xx:xx:xx */

static struct dentry *vfnic_dbg_root;

static bool vfnic_tgen_running(struct vfnic_pf *pf)
{
	return vfnic_rd(pf, VFNIC_GLB_TGEN_CTRL) & VFNIC_TGEN_ENABLE;
}

/* Stop the generator: nobody would be left to stop it once we are gone. */
void vfnic_tgen_stop(struct vfnic_pf *pf)
{
	vfnic_wr(pf, VFNIC_GLB_TGEN_CTRL, 0);
}

/*
 * Run @set on the generator's registers unless it is running (-EBUSY),
 * under rtnl_lock so that no PF reset comes in between.
 */
static int vfnic_tgen_config(struct vfnic_pf *pf, const char *what,
			     void (*set)(struct vfnic_pf *pf, const void *arg),
			     const void *arg)
{
	int err = 0;

	rtnl_lock();
	if (vfnic_tgen_running(pf)) {
		dev_info(&pf->pdev->dev, "tgen: %s not changed: the generator is running\n",
			 what);
		err = -EBUSY;
	} else {
		set(pf, arg);
	}
	rtnl_unlock();
	return err;
}

static void vfnic_tgen_set_dst(struct vfnic_pf *pf, const void *arg)
{
	vfnic_wr(pf, VFNIC_GLB_TGEN_DST_LO, vfnic_mac_lo(arg));
	vfnic_wr(pf, VFNIC_GLB_TGEN_DST_HI, vfnic_mac_hi(arg));
}

static void vfnic_tgen_set_len(struct vfnic_pf *pf, const void *arg)
{
	vfnic_wr(pf, VFNIC_GLB_TGEN_LEN, *(const u32 *)arg);
}

static void vfnic_tgen_set_count(struct vfnic_pf *pf, const void *arg)
{
	u64 count = *(const u64 *)arg;

	vfnic_wr(pf, VFNIC_GLB_TGEN_COUNT_LO, lower_32_bits(count));
	vfnic_wr(pf, VFNIC_GLB_TGEN_COUNT_HI, upper_32_bits(count));
}

static ssize_t vfnic_tgen_dst_read(struct file *file, char __user *ubuf,
				   size_t len, loff_t *ppos)
{
	struct vfnic_pf *pf = file->private_data;
	char buf[VFNIC_MAC_STR_LEN + 2];
	u8 mac[ETH_ALEN];
	int n;

	vfnic_mac_from_regs(mac, vfnic_rd(pf, VFNIC_GLB_TGEN_DST_LO),
			    vfnic_rd(pf, VFNIC_GLB_TGEN_DST_HI));
	n = scnprintf(buf, sizeof(buf), "%pM\n", mac);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static ssize_t vfnic_tgen_dst_write(struct file *file,
				    const char __user *ubuf, size_t len,
				    loff_t *ppos)
{
	struct vfnic_pf *pf = file->private_data;
	char buf[VFNIC_MAC_STR_LEN + 2] = {};
	u8 mac[ETH_ALEN];
	char *s;
	int err;

	if (*ppos || len >= sizeof(buf)) {
		dev_info(&pf->pdev->dev, "tgen: dst of %zu bytes is not a MAC address xx:xx:xx:xx:xx:xx\n",
			 len);
		return -EINVAL;
	}
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	s = strim(buf);
	/* mac_pton() reads 17 characters and ignores what follows them */
	if (strlen(s) != VFNIC_MAC_STR_LEN || !mac_pton(s, mac)) {
		dev_info(&pf->pdev->dev, "tgen: dst '%s' is not a MAC address xx:xx:xx:xx:xx:xx\n",
			 s);
		return -EINVAL;
	}
	err = vfnic_tgen_config(pf, "dst", vfnic_tgen_set_dst, mac);
	return err ? err : len;
}

static const struct file_operations vfnic_tgen_dst_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = vfnic_tgen_dst_read,
	.write = vfnic_tgen_dst_write,
	.llseek = default_llseek,
};

static int vfnic_tgen_len_get(void *data, u64 *val)
{
	*val = vfnic_rd(data, VFNIC_GLB_TGEN_LEN);
	return 0;
}

static int vfnic_tgen_len_set(void *data, u64 val)
{
	struct vfnic_pf *pf = data;
	u32 len = val;

	if (val < VFNIC_TGEN_LEN_MIN || val > VFNIC_TGEN_LEN_MAX) {
		dev_info(&pf->pdev->dev, "tgen: len %llu outside %u-%u\n", val,
			 VFNIC_TGEN_LEN_MIN, VFNIC_TGEN_LEN_MAX);
		return -EINVAL;
	}
	return vfnic_tgen_config(pf, "len", vfnic_tgen_set_len, &len);
}
DEFINE_DEBUGFS_ATTRIBUTE(vfnic_tgen_len_fops, vfnic_tgen_len_get,
			 vfnic_tgen_len_set, "%llu\n");

static int vfnic_tgen_count_get(void *data, u64 *val)
{
	*val = vfnic_rd64(data, VFNIC_GLB_TGEN_COUNT_LO);
	return 0;
}

static int vfnic_tgen_count_set(void *data, u64 val)
{
	return vfnic_tgen_config(data, "count", vfnic_tgen_set_count, &val);
}
DEFINE_DEBUGFS_ATTRIBUTE(vfnic_tgen_count_fops, vfnic_tgen_count_get,
			 vfnic_tgen_count_set, "%llu\n");

static int vfnic_tgen_enable_get(void *data, u64 *val)
{
	*val = vfnic_tgen_running(data);
	return 0;
}

/* Writing 1 to a running generator changes nothing (section 10.1). */
static int vfnic_tgen_enable_set(void *data, u64 val)
{
	struct vfnic_pf *pf = data;

	if (val > 1) {
		dev_info(&pf->pdev->dev, "tgen: enable %llu: expected 0 or 1\n",
			 val);
		return -EINVAL;
	}
	rtnl_lock();
	vfnic_wr(pf, VFNIC_GLB_TGEN_CTRL, val ? VFNIC_TGEN_ENABLE : 0);
	rtnl_unlock();
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(vfnic_tgen_enable_fops, vfnic_tgen_enable_get,
			 vfnic_tgen_enable_set, "%llu\n");

static int vfnic_tgen_sent_get(void *data, u64 *val)
{
	*val = vfnic_rd64(data, VFNIC_GLB_TGEN_SENT_LO);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(vfnic_tgen_sent_fops, vfnic_tgen_sent_get, NULL,
			 "%llu\n");

/* One admin-block table of every VF, as @show prints a VF's entries. */
static int vfnic_vf_table_show(struct seq_file *m,
			       void (*show)(struct seq_file *m,
					    struct vfnic_vf *vf))
{
	struct vfnic_pf *pf = m->private;
	int i;

	rtnl_lock();		/* num_vfs */
	for (i = 0; i < pf->num_vfs; i++)
		show(m, &pf->vf[i]);
	rtnl_unlock();
	return 0;
}

static void vfnic_vf_show_macs(struct seq_file *m, struct vfnic_vf *vf)
{
	u32 reg = vfnic_vf_adm(vf, VFNIC_ADM_MAC_FILTER), hi;
	u8 mac[ETH_ALEN];
	int f;

	for (f = 0; f < VFNIC_ADM_MAC_FILTERS; f++, reg += 8) {
		hi = vfnic_rd(vf->pf, reg + 4);
		if (!(hi & VFNIC_MAC_VALID))
			continue;
		vfnic_mac_from_regs(mac, vfnic_rd(vf->pf, reg), hi);
		seq_printf(m, "vf %u %pM\n", vf->id, mac);
	}
}

static void vfnic_vf_show_vlans(struct seq_file *m, struct vfnic_vf *vf)
{
	u32 reg = vfnic_vf_adm(vf, VFNIC_ADM_VLAN_FILTER);
	unsigned long word;
	int w, b;

	for (w = 0; w < VLAN_N_VID / 32; w++) {
		word = vfnic_rd(vf->pf, reg + w * 4);
		for_each_set_bit(b, &word, 32)
			seq_printf(m, "vf %u %d\n", vf->id, w * 32 + b);
	}
}

static int vfnic_vf_mac_filters_show(struct seq_file *m, void *unused)
{
	return vfnic_vf_table_show(m, vfnic_vf_show_macs);
}
DEFINE_SHOW_ATTRIBUTE(vfnic_vf_mac_filters);

static int vfnic_vf_vlan_filters_show(struct seq_file *m, void *unused)
{
	return vfnic_vf_table_show(m, vfnic_vf_show_vlans);
}
DEFINE_SHOW_ATTRIBUTE(vfnic_vf_vlan_filters);

void vfnic_debugfs_pf_create(struct vfnic_pf *pf)
{
	struct dentry *tgen;

	pf->dbg_dir = debugfs_create_dir(pci_name(pf->pdev), vfnic_dbg_root);
	tgen = debugfs_create_dir("tgen", pf->dbg_dir);
	debugfs_create_file("dst", 0600, tgen, pf, &vfnic_tgen_dst_fops);
	debugfs_create_file_unsafe("len", 0600, tgen, pf, &vfnic_tgen_len_fops);
	debugfs_create_file_unsafe("count", 0600, tgen, pf,
				   &vfnic_tgen_count_fops);
	debugfs_create_file_unsafe("enable", 0600, tgen, pf,
				   &vfnic_tgen_enable_fops);
	debugfs_create_file_unsafe("sent", 0400, tgen, pf,
				   &vfnic_tgen_sent_fops);
	debugfs_create_file("vf_mac_filters", 0400, pf->dbg_dir, pf,
			    &vfnic_vf_mac_filters_fops);
	debugfs_create_file("vf_vlan_filters", 0400, pf->dbg_dir, pf,
			    &vfnic_vf_vlan_filters_fops);
}

/* Waits for every open file's operation in progress to return. */
void vfnic_debugfs_pf_remove(struct vfnic_pf *pf)
{
	debugfs_remove_recursive(pf->dbg_dir);
	pf->dbg_dir = NULL;
}

void vfnic_debugfs_init(void)
{
	vfnic_dbg_root = debugfs_create_dir(VFNIC_PF_DRV_NAME, NULL);
}

void vfnic_debugfs_exit(void)
{
	debugfs_remove_recursive(vfnic_dbg_root);
	vfnic_dbg_root = NULL;
}
