package sweep

import (
	"fmt"
	"strconv"
	"strings"
)

// Shard is a fixed part of a sweep's runs: run i belongs to shard
// i mod Count. The zero Shard is the whole sweep.
type Shard struct{ Index, Count int }

// Has reports whether run i belongs to the shard.
func (s Shard) Has(i int) bool { return s.Count <= 1 || i%s.Count == s.Index }

func (s Shard) String() string {
	if s.Count == 0 {
		return "all"
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// ParseShard reads --shard: "" (the whole sweep), "I/N" (0 <= I < N), or
// "auto", which takes I from SLURM_ARRAY_TASK_ID (minus
// SLURM_ARRAY_TASK_MIN) and N from SLURM_ARRAY_TASK_COUNT, or I from
// Kubernetes' JOB_COMPLETION_INDEX; shards (--shards), when positive, gives
// N and takes precedence over the environment. Its errors are InputErrors.
func ParseShard(spec string, shards int, getenv func(string) string) (Shard, error) {
	bad := func(format string, args ...any) (Shard, error) {
		return Shard{}, inputError(nil, format, args...)
	}
	if shards < 0 {
		return bad("--shards must be positive, got %d", shards)
	}
	var i, n int
	switch spec {
	case "":
		if shards > 0 {
			return bad("--shards %d needs --shard auto", shards)
		}
		return Shard{}, nil
	case "auto":
		atoi := func(name string) (int, bool, error) {
			v := strings.TrimSpace(getenv(name))
			if v == "" {
				return 0, false, nil
			}
			x, err := strconv.Atoi(v)
			if err != nil {
				return 0, true, fmt.Errorf("%s=%q is not a whole number", name, v)
			}
			return x, true, nil
		}
		id, ok, err := atoi("SLURM_ARRAY_TASK_ID")
		if err != nil {
			return bad("--shard auto: %v", err)
		}
		if ok {
			lo, _, err := atoi("SLURM_ARRAY_TASK_MIN")
			if err != nil {
				return bad("--shard auto: %v", err)
			}
			cnt, okc, err := atoi("SLURM_ARRAY_TASK_COUNT")
			if err != nil {
				return bad("--shard auto: %v", err)
			}
			i, n = id-lo, cnt
			if shards > 0 {
				n = shards
			} else if !okc {
				return bad("--shard auto: SLURM_ARRAY_TASK_COUNT is not set; give the shard count with --shards N")
			}
		} else {
			idx, ok, err := atoi("JOB_COMPLETION_INDEX")
			if err != nil {
				return bad("--shard auto: %v", err)
			}
			if !ok {
				return bad("--shard auto: neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set; use --shard I/N outside a job array")
			}
			if shards == 0 {
				return bad("--shard auto with JOB_COMPLETION_INDEX needs the shard count: --shards N (the job's completions)")
			}
			i, n = idx, shards
		}
	default:
		a, b, ok := strings.Cut(spec, "/")
		var e1, e2 error
		i, e1 = strconv.Atoi(a)
		n, e2 = strconv.Atoi(b)
		if !ok || e1 != nil || e2 != nil {
			return bad("--shard %q: must be I/N (such as 0/4, shards counted from 0) or auto", spec)
		}
		if shards > 0 && shards != n {
			return bad("--shard %s disagrees with --shards %d", spec, shards)
		}
	}
	if n < 1 {
		return bad("--shard: the shard count must be at least 1, got %d", n)
	}
	if i < 0 || i >= n {
		return bad("--shard: shard %d is outside its count: with %d shards the index runs from 0 to %d", i, n, n-1)
	}
	return Shard{Index: i, Count: n}, nil
}
