package sweep_test

import (
	"errors"
	"fmt"

	"github.com/copsim/copsim/sweep"
)

func ExampleParseShard() {
	// Task 5 of a Slurm job array submitted with --array=2-5 (4 tasks).
	env := map[string]string{"SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "2", "SLURM_ARRAY_TASK_COUNT": "4"}
	s, err := sweep.ParseShard("auto", 0, func(k string) string { return env[k] })
	fmt.Println(s, err, s.Has(3), s.Has(7))

	// A bad --shard is the user's input at fault.
	_, err = sweep.ParseShard("4/4", 0, func(string) string { return "" })
	var ie *sweep.InputError
	fmt.Println(errors.As(err, &ie), err)
	// Output:
	// 3/4 <nil> true true
	// true --shard: shard 4 is outside its count: with 4 shards the index runs from 0 to 3
}
