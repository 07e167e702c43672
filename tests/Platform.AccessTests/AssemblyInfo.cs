using Xunit;

// Each fixture runs a whole platform process; one at a time on a small machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
