package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestSlurmJobArray starts a real single-node Slurm cluster (munged,
// slurmctld and slurmd from Debian's packages, on localhost, everything
// under a temporary folder, no systemd), submits a sweep as a job array of
// three shards with --shard auto, waits, merges the shards and checks that
// the dataset equals the local unsharded sweep byte for byte. The daemons
// are stopped at the end. Without the packages (or root, which the
// single-node setup needs) the test skips, except in CI (CI=true), where it
// fails: .ci/install.d/10-slurm.sh installs them.
func TestSlurmJobArray(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the Slurm integration test")
	}
	ci := os.Getenv("CI") == "true"
	missing := func(why string) {
		if ci {
			t.Fatalf("CI=true and %s; .ci/install.d/10-slurm.sh should have installed Slurm", why)
		}
		t.Skipf("skipping the Slurm integration test: %s (install munge slurmctld slurmd slurm-client, or run .ci/install.d/10-slurm.sh)", why)
	}
	bins := map[string]string{}
	for _, b := range []string{"munged", "slurmctld", "slurmd", "sbatch", "sinfo", "scontrol"} {
		p, err := exec.LookPath(b)
		if err != nil {
			for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/bin"} {
				if _, err := os.Stat(filepath.Join(dir, b)); err == nil {
					p = filepath.Join(dir, b)
				}
			}
		}
		if p == "" {
			missing(b + " is not installed")
		}
		bins[b] = p
	}
	if os.Getuid() != 0 {
		missing("the single-node Slurm setup runs its daemons as root")
	}

	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"munge", "state", "spool", "log", "shards"} {
		must(os.MkdirAll(filepath.Join(dir, d), 0o755))
	}
	os.Chmod(filepath.Join(dir, "munge"), 0o700)

	// The copsim binary the jobs run.
	bin := filepath.Join(dir, "copsim")
	gocmd := filepath.Join(runtime.GOROOT(), "bin", "go")
	if out, err := exec.Command(gocmd, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var daemons []*exec.Cmd
	t.Cleanup(func() {
		for k := len(daemons) - 1; k >= 0; k-- {
			d := daemons[k]
			d.Process.Signal(os.Interrupt)
			done := make(chan struct{})
			go func() { d.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				d.Process.Kill()
				<-done
			}
		}
	})
	logs := func() string {
		var b strings.Builder
		for _, f := range []string{"munge/munged.log", "log/slurmctld.log", "log/slurmd.log"} {
			data, _ := os.ReadFile(filepath.Join(dir, f))
			fmt.Fprintf(&b, "--- %s\n%s\n", f, lastLines(string(data), 30))
		}
		return b.String()
	}
	start := func(name string, args ...string) {
		t.Helper()
		cmd := exec.Command(bins[name], args...)
		cmd.Env = append(os.Environ(), "SLURM_CONF="+filepath.Join(dir, "slurm.conf"))
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		daemons = append(daemons, cmd)
	}

	// munge: a fresh key, a private socket.
	key := make([]byte, 1024)
	rand.Read(key)
	keyFile := filepath.Join(dir, "munge", "munge.key")
	must(os.WriteFile(keyFile, key, 0o400))
	sock := filepath.Join(dir, "munge", "munge.socket")
	start("munged", "-F", "--force", "-S", sock, "--key-file", keyFile,
		"--pid-file", filepath.Join(dir, "munge", "munged.pid"), "--log-file", filepath.Join(dir, "munge", "munged.log"),
		"--seed-file", filepath.Join(dir, "munge", "munged.seed"))
	waitFor(t, 10*time.Second, func() bool { _, err := os.Stat(sock); return err == nil }, "munged's socket", logs)

	// slurm.conf for one node on localhost.
	host, err := os.Hostname()
	must(err)
	nodeLine, err := exec.Command(bins["slurmd"], "-C").Output()
	if err != nil {
		t.Fatalf("slurmd -C: %v", err)
	}
	node := strings.SplitN(strings.TrimSpace(string(nodeLine)), "\n", 2)[0]
	node = regexpReplaceRealMemory(node)
	conf := fmt.Sprintf(`ClusterName=copsimtest
SlurmctldHost=%[1]s(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=%[2]s
SlurmctldPort=%[3]d
SlurmdPort=%[4]d
StateSaveLocation=%[5]s/state
SlurmdSpoolDir=%[5]s/spool
SlurmctldPidFile=%[5]s/slurmctld.pid
SlurmdPidFile=%[5]s/slurmd.pid
SlurmctldLogFile=%[5]s/log/slurmctld.log
SlurmdLogFile=%[5]s/log/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
SlurmctldTimeout=30
SlurmdTimeout=30
%[6]s NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
`, host, sock, freePort(t), freePort(t), dir, node)
	confFile := filepath.Join(dir, "slurm.conf")
	must(os.WriteFile(confFile, []byte(conf), 0o644))
	env := append(os.Environ(), "SLURM_CONF="+confFile)
	start("slurmctld", "-D", "-i", "-f", confFile)
	start("slurmd", "-D", "-f", confFile)
	waitFor(t, 60*time.Second, func() bool {
		c := exec.Command(bins["sinfo"], "-h", "-o", "%T")
		c.Env = env
		out, err := c.Output()
		s := strings.TrimSpace(string(out))
		return err == nil && (s == "idle" || s == "mixed")
	}, "the node to be idle", logs)

	// The sweep, and the job array that runs its shards.
	sweep := filepath.Join(dir, "sweep.yaml")
	must(os.WriteFile(sweep, []byte(cmdSweep), 0o644))
	script := fmt.Sprintf(`#!/bin/bash
#SBATCH --job-name=copsim-sweep
#SBATCH --array=0-2
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --output=%[1]s/log/shard-%%a.out
exec %[2]s sweep -q --no-plots --workers 1 --shard auto --timeseries -o %[1]s/shards/$SLURM_ARRAY_TASK_ID %[3]s
`, dir, bin, sweep)
	scriptFile := filepath.Join(dir, "sweep.sbatch")
	must(os.WriteFile(scriptFile, []byte(script), 0o755))
	sb := exec.CommandContext(ctx, bins["sbatch"], "--wait", "--chdir", dir, scriptFile)
	sb.Env = env
	if out, err := sb.CombinedOutput(); err != nil {
		var shardLogs []string
		for i := 0; i < 3; i++ {
			b, _ := os.ReadFile(filepath.Join(dir, "log", fmt.Sprintf("shard-%d.out", i)))
			shardLogs = append(shardLogs, string(b))
		}
		t.Fatalf("sbatch --wait: %v\n%s\nshards: %q\n%s", err, out, shardLogs, logs())
	}

	// Merge the shards; run the same sweep locally, unsharded.
	merged := filepath.Join(dir, "merged")
	shards := []string{filepath.Join(dir, "shards", "0"), filepath.Join(dir, "shards", "1"), filepath.Join(dir, "shards", "2")}
	var stdout, stderr bytes.Buffer
	if code := runMain(append([]string{"merge", "-q", "--no-plots", merged}, shards...), &stdout, &stderr); code != exitOK {
		t.Fatalf("merge: exit %d: %s", code, stderr.String())
	}
	local := filepath.Join(dir, "local")
	if code := runMain([]string{"sweep", "-q", "--no-plots", "--timeseries", "-o", local, sweep}, &stdout, &stderr); code != exitOK {
		t.Fatalf("local sweep: exit %d: %s", code, stderr.String())
	}
	for _, f := range []string{"results.csv", "design.csv", "timeseries.csv", "sweep.json"} {
		a, err1 := os.ReadFile(filepath.Join(local, f))
		b, err2 := os.ReadFile(filepath.Join(merged, f))
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Errorf("%s: the Slurm sweep differs from the local one (%v, %v)", f, err1, err2)
		}
	}
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func waitFor(t *testing.T, limit time.Duration, ok func() bool, what string, logs func() string) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s\n%s", limit, what, logs())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// regexpReplaceRealMemory lowers the node's RealMemory by a margin, since
// slurmd drains a node that reports less memory than configured.
func regexpReplaceRealMemory(node string) string {
	fields := strings.Fields(node)
	for i, f := range fields {
		if strings.HasPrefix(f, "RealMemory=") {
			var mb int
			fmt.Sscanf(strings.TrimPrefix(f, "RealMemory="), "%d", &mb)
			fields[i] = fmt.Sprintf("RealMemory=%d", max(1, mb*9/10))
		}
	}
	return strings.Join(fields, " ")
}
