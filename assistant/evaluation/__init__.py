"""The evaluation runner: eval set -> metrics for three pipelines -> report, baseline gate."""
