"""Reading the files kept with a record: what an email says of itself, and a record proposed
from one. Nothing here touches the database or Qt."""
