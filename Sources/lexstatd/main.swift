print("lexstatd")
