print("lexstat")
