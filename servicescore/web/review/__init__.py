"""The consultant's review of submitted visits: the queue, one visit with its flags, and the decision."""
