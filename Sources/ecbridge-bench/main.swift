print("ecbridge-bench: not yet")
