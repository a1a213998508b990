def load_if_missing():
	print("demo data: nothing to load yet")
