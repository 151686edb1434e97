-- Every uid of the review log (a bulk merge's start), in no order: through the unique uid
-- index when it exists (the narrowest covering index), else by reading the table while an
-- earlier bulk merge's index is still owed.
SELECT uid FROM review
