import ArgumentParser
print("jiuzhu")
